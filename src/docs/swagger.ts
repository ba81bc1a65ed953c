import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { HealthService } from '../health/health.service';
import { documentHealthChecks } from '../health/health.openapi';

/** Swagger UI lives here and the OpenAPI document at `<path>-json`, beside (not under) the `/api/v1` prefix. */
export const DOCS_PATH = 'api/docs';

const DESCRIPTION = [
  'Health of the SecuScan scanner and its dependencies, aggregated as `healthy` (200), `degraded` (200: every',
  'critical check works, another does not) and `unhealthy` (503: a critical check failed). Liveness never touches a',
  'dependency; readiness adds the startup and shutdown phases. Every answer carries `Cache-Control: no-store`.',
].join(' ');

/**
 * Builds the OpenAPI document from the controllers' decorators and DTO classes, titled and versioned by the app
 * (the version is the one the reports carry), completed with what the registered checks declare, and serves Swagger UI at `/api/docs` and the document at
 * `/api/docs-json`.
 */
export function setupSwagger(app: INestApplication, config: AppConfig): void {
  const base = new DocumentBuilder()
    .setTitle('SecuScan health service')
    .setDescription(DESCRIPTION)
    .setVersion(config.version)
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative: Swagger UI and the linters resolve it against wherever this instance serves the document.
    .addServer('/', 'This instance')
    .addTag('health', 'Full report, liveness and readiness')
    .addTag('metrics', 'Prometheus metrics fed by the health evaluations')
    .addTag('status', 'History of the evaluations and the live event stream behind the `/status` page')
    .build();
  // No route needs credentials: an empty list of requirements says so (anonymous access) instead of leaving it open.
  const document = SwaggerModule.createDocument(app, { ...base, security: [] });
  documentHealthChecks(document, app.get(HealthService).definitions, config.version);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    customSiteTitle: 'SecuScan health — API docs',
    swaggerOptions: { displayRequestDuration: true, tryItOutEnabled: false },
  });
}
