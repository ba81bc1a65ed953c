import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_SETTINGS, type AccessSettings } from '../access/access.settings';
import { DetailsAccess } from '../access/details-access.service';
import { BADGES_TAG } from '../badges/badges.api-docs';
import { HEALTH_TOKEN_SCHEME } from '../access/details-route.decorator';
import { documentHealthChecks, HealthService } from '../health';
import { sendNotFound } from '../http/not-found';
import { publicDocument } from './public-document';

/** Swagger UI lives here and the OpenAPI document at `<path>-json`, beside (not under) the `/api/v1` prefix. */
export const DOCS_PATH = 'api/docs';

const DESCRIPTION = [
  'Health of the SecuScan scanner and its dependencies, aggregated as `healthy` (200), `degraded` (200: every',
  'critical check works, another does not) and `unhealthy` (503: a critical check failed). Liveness never touches a',
  'dependency; readiness adds the startup and shutdown phases. Every answer carries `Cache-Control: no-store`.',
].join(' ');

/**
 * What Swagger UI's page loads from `/api/docs/`. `@nestjs/swagger` serves the whole swagger-ui-dist folder there
 * (source maps, package.json, README, unused bundles); anything not listed answers 404.
 */
const UI_ASSETS: ReadonlySet<string> = new Set([
  '',
  'index.html',
  'swagger-ui-init.js',
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-16x16.png',
  'favicon-32x32.png',
]);

/**
 * Serves Swagger UI at `/api/docs` (only the files the page needs) and the OpenAPI document at `/api/docs-json`. The
 * document is built on the first request that needs it (the JSON, or Swagger UI's init script), then kept: scanning
 * every controller and DTO is work no probe needs, so the app listens without it.
 *
 * The document follows the details policy, as the report does: a caller who may see details gets the full document;
 * any other (`HEALTH_DETAILS=never`, `when-authorized` without the token, the main port when a management port is
 * set) gets {@link publicDocument}, without the service's version or any route or schema that shows details.
 */
export function setupSwagger(app: NestFastifyApplication): void {
  serveOnlyUiAssets(app);
  const access = app.get(DetailsAccess);
  const { details } = app.get<AccessSettings>(ACCESS_SETTINGS.token);
  let publicView: OpenAPIObject | undefined;
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    customSiteTitle: 'SecuScan health — API docs',
    swaggerOptions: { displayRequestDuration: true, tryItOutEnabled: false },
    // Typed generically by @nestjs/swagger; on the Fastify adapter the request is Fastify's.
    patchDocumentOnRequest: (request, reply, full) => {
      // The answer depends on the token: no cache, a browser's own included, may hand one caller's to another.
      (reply as FastifyReply).header('vary', 'Authorization').header('cache-control', 'no-store');
      return access.canSeeDetails(request as FastifyRequest)
        ? full
        : (publicView ??= publicDocument(full, app.get(HealthService).definitions, {
            // Under `never` the badges answer 404 like an unknown route; anyone may fetch them otherwise.
            hiddenTags: details === 'never' ? [BADGES_TAG] : [],
          }));
    },
  });
}

/**
 * The OpenAPI document, built from the controllers' decorators and DTO classes, titled and versioned by the app (the
 * version is the one the reports carry), and completed with what the registered checks declare.
 */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const health = app.get(HealthService);
  const base = new DocumentBuilder()
    .setTitle('SecuScan health service')
    .setDescription(DESCRIPTION)
    .setVersion(health.version)
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative: Swagger UI and the linters resolve it against wherever this instance serves the document.
    .addServer('/', 'This instance')
    .addTag('health', 'Full report, liveness and readiness')
    .addTag(BADGES_TAG, 'Status and uptime badges (SVG) for anyone, unless `HEALTH_DETAILS=never`')
    .addTag('metrics', 'Prometheus metrics fed by the health evaluations')
    .addTag('status', 'History of the evaluations and the live event stream behind the `/status` page')
    .addTag('maintenance', 'Maintenance windows: notifications held, the report and the status page say so')
    // Not addBearerAuth: it adds `bearerFormat: JWT`, and HEALTH_TOKEN is an opaque string.
    .addSecurity(HEALTH_TOKEN_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description:
        'HEALTH_TOKEN; needed for details when HEALTH_DETAILS=when-authorized, and for maintenance windows always',
    })
    .build();
  // Routes without a requirement of their own need no credentials: an empty list says so (anonymous access).
  const document = SwaggerModule.createDocument(app, { ...base, security: [] });
  documentHealthChecks(document, health.definitions, health.version, health.annotations);
  return document;
}

/**
 * The policy of Swagger UI's page. Scripts are the page's own files only (swagger-ui-bundle.js and the init script
 * holding the document): nothing inline, no eval. Styles may be inline: @nestjs/swagger's page template has `<style>`
 * blocks and style attributes, and Swagger UI writes style attributes as it renders; an injected style could still
 * load nothing from elsewhere (images only from the page's origin or `data:`, no fonts). "Try it out" talks to this
 * origin only; the page cannot be framed, submit a form elsewhere or change its base URL.
 */
export const SWAGGER_UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The paths of Swagger UI's page itself (the other files under `/api/docs/` are what it loads). */
const UI_PAGES: ReadonlySet<string> = new Set([`/${DOCS_PATH}`, `/${DOCS_PATH}/`, `/${DOCS_PATH}/index.html`]);

/**
 * Answers 404 for anything under `/api/docs/` the page does not load, and gives the page its policy (the other
 * browser headers come with every HTML answer, see `secureHtmlAnswers`).
 */
function serveOnlyUiAssets(app: NestFastifyApplication): void {
  const prefix = `/${DOCS_PATH}/`;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const path = request.url.split('?', 1)[0];
      if (UI_PAGES.has(path)) void reply.header('content-security-policy', SWAGGER_UI_CSP);
      else if (path.startsWith(prefix) && !UI_ASSETS.has(path.slice(prefix.length))) {
        return sendNotFound(request, reply);
      }
      done();
    });
}
