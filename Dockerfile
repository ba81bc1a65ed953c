# syntax=docker/dockerfile:1
# SecuScan health service. Two stages: build with dev dependencies, run with production dependencies only.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY plugins ./plugins
# Everything above is owned by root and read-only to the app; it runs as the image's unprivileged `node` user
# (uid 1000, which the Kubernetes manifest names as runAsUser).
USER node
EXPOSE 3000
# The image has no curl: the check is a tiny node script (dist/cli/healthcheck.js) with its own 4 s abort, below
# --timeout so it prints why it failed. It calls /api/v1/health on PORT: exit 0 healthy or degraded, 1 otherwise.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["node", "dist/cli/healthcheck.js"]
# Exec form, no shell and no npm in between: node is PID 1 and gets SIGTERM itself; the app then fails readiness
# for HEALTH_SHUTDOWN_DELAY_MS, closes the server and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
