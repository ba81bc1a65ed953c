/**
 * The health core's public face: what a check implements, what the application composes, and what the views of the
 * evaluations (metrics, history, events, docs) read. Code outside `src/health/` imports the core from here only
 * (a lint rule holds it), so the core's inside can change without touching a check.
 */
export { CheckResultDto } from './dto/check-result.dto';
export { HealthReportDto } from './dto/health-report.dto';
export { documentHealthChecks } from './check-schemas';
export { documentStatusOnly } from './status-only-schemas';
export type { CheckRegistration, HealthCheck } from './health-check';
export { failingCheckNames, failingChecks } from './health-checker';
export { exampleReports } from './health-examples';
export type {
  CheckData,
  CheckDefinition,
  CheckField,
  CheckFieldType,
  CheckFieldValue,
  CheckItem,
  CheckItems,
  ComponentType,
  HealthIndicator,
  IndicatorResult,
} from './health-indicator';
export { httpStatusOf, overallStatus } from './health-status';
export type { CheckStatus, OverallStatus } from './health-status';
export { HealthModule } from './health.module';
export type { HealthModuleOptions } from './health.module';
export { HealthService } from './health.service';
export type { HealthSnapshot } from './health.service';
export { HEALTH_SETTINGS } from './health.settings';
export type { HealthSettings } from './health.settings';
export { ReadinessService } from './readiness.service';
export type { Annotations, ReportAnnotation, ReportAnnotationRegistration } from './report-annotation';
