# SecuScan health service. Two stages: build with dev dependencies, run with production dependencies only.
#
#   docker build -t secuscan-health:local .                                          the service alone
#   docker build --build-arg WITH_SCANNERS=true -t secuscan-health:scanners .        plus the scanners Debian ships
#
# The plugins report of an image tells what that image can run: the default image runs the plugins whose tools
# come with Debian's base system only; WITH_SCANNERS=true adds SCANNER_PACKAGES below.
#
# No `# syntax=` line: with it BuildKit (compose v2 builds with it) fetches that frontend image from Docker Hub on
# every build, so nothing builds where no image registry is reachable; the engine's own frontend reads this file.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# No dependency needs its install script to build or run here, so none runs: that also keeps swagger-ui-dist's
# @scarf/scarf postinstall from phoning home. Its documented opt-outs are set as well, for the day scripts are on.
ARG SCARF_ANALYTICS=false
ARG DO_NOT_TRACK=1
ARG NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS runtime
# Debian (bookworm, main) packages for the binaries, Python distributions and system packages that the shipped
# plugin manifests name, for every plugin whose scanner Debian ships. The one list: the table of which plugins each
# image runs (docs/operations.md) follows from it. Left out, as nothing they serve could run: nuclei and subfinder (Go
# projects), sslyze (pip) with the cryptography it needs, nikto (Debian's non-free) with its perl, docker for
# zap-baseline (a Docker CLI in the image would need the host's socket to be of any use). python3-whois is not
# python-whois (another project by the same name), so the whois plugin stays blocked on it.
ARG SCANNER_PACKAGES="\
  nmap python3-nmap \
  masscan libpcap-dev \
  bind9-dnsutils \
  whois \
  gobuster ffuf \
  sqlmap python3 \
  testssl.sh openssl bsdextrautils"
ARG WITH_SCANNERS=false
# Before the app's files, so that rebuilding after a code change reuses this layer. Debian installs testssl.sh as
# `testssl`; the manifests use upstream's name.
RUN case "$WITH_SCANNERS" in \
      false) ;; \
      true) apt-get update \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $SCANNER_PACKAGES \
        && apt-get clean && rm -rf /var/lib/apt/lists/* \
        && ln -s /usr/bin/testssl /usr/local/bin/testssl.sh ;; \
      *) echo "WITH_SCANNERS must be true or false, not '$WITH_SCANNERS'" >&2; exit 1 ;; \
    esac
ENV NODE_ENV=production PORT=3000
WORKDIR /app
ARG SCARF_ANALYTICS=false
ARG DO_NOT_TRACK=1
ARG NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
# The npm cache (root's, as this runs before USER) is not needed at run time.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && rm -rf /root/.npm
COPY --from=build /app/dist ./dist
COPY plugins ./plugins
# Everything above is owned by root and read-only to the app; it runs as the image's unprivileged `node` user
# (uid 1000, which the Kubernetes manifest names as runAsUser). The one folder it writes: the durable history
# (health.db, HEALTH_DATA_DIR), owned by that user. A volume, so it outlives the container: a new volume (compose's
# named one, or the anonymous one `docker run` makes) starts as a copy of this folder, with its owner.
RUN mkdir -p /app/data && chown node:node /app/data
ENV HEALTH_DATA_DIR=/app/data
VOLUME /app/data
USER node
# 3000: PORT. 9000: the management listener, which listens only when MANAGEMENT_PORT is set (compose and the
# Kubernetes manifests set 9000; the image alone serves everything on PORT).
EXPOSE 3000 9000
# The image has no curl: the check is a tiny node script (dist/cli/healthcheck.js) with its own 4 s abort, below
# --timeout so it prints why it failed. It calls /api/v1/health on MANAGEMENT_PORT when set, else on PORT: exit 0
# healthy or degraded, 1 otherwise.
# No --start-interval here: Docker Engines before 25 (Debian bookworm's docker.io is 20.10) refuse to build a
# Dockerfile that has it. docker-compose.yml checks every 2 s instead; with `docker run`, add --health-interval=2s
# (or --health-start-interval=1s on Engine 25 or later).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "dist/cli/healthcheck.js"]
# Exec form, no shell and no npm in between: node is PID 1 and gets SIGTERM itself; the app then fails readiness
# for HEALTH_SHUTDOWN_DELAY_MS, closes the server and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
