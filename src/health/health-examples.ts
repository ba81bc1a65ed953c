import { CheckResultDto } from './dto/check-result.dto';
import { HealthReportDto } from './dto/health-report.dto';
import type { CheckDefinition, CheckField } from './health-indicator';
import { overallStatus } from './health-status';

/** The documented example of each state; a state the registered checks cannot reach has none. */
export interface ExampleReports {
  readonly healthy: HealthReportDto;
  /** The first non-critical check failing. */
  readonly degraded?: HealthReportDto;
  /** The first critical check failing. */
  readonly unhealthy?: HealthReportDto;
}

const EXAMPLE_UPTIME_SECONDS = 3412;

/**
 * Real-looking reports built from the checks' own definitions (their example latency, fields and failure), so the
 * documentation shows every registered check and never drifts from what the service answers.
 */
export function exampleReports(definitions: readonly CheckDefinition[], version: string): ExampleReports {
  const report = (failing?: CheckDefinition): HealthReportDto => {
    const checks = Object.fromEntries(
      definitions.map((definition) => [definition.key, exampleCheck(definition, definition === failing)]),
    );
    const verdicts = definitions.map(({ key, critical }) => ({ critical, status: checks[key].status }));
    return { status: overallStatus(verdicts), version, uptime_seconds: EXAMPLE_UPTIME_SECONDS, checks };
  };
  const firstNonCritical = definitions.find((d) => !d.critical);
  const firstCritical = definitions.find((d) => d.critical);
  return {
    healthy: report(),
    ...(firstNonCritical ? { degraded: report(firstNonCritical) } : {}),
    ...(firstCritical ? { unhealthy: report(firstCritical) } : {}),
  };
}

function exampleCheck({ fields = {}, items, example }: CheckDefinition, failing: boolean): CheckResultDto {
  if (failing) return { status: 'error', latency_ms: example.failure.latencyMs, detail: example.failure.detail };
  const list = items ? { [items.name]: [exampleValues(items.fields)] } : {};
  return { status: 'ok', ...exampleValues(fields), ...list, latency_ms: example.latencyMs, detail: null };
}

/** The fields' examples, by name: a check's own values, or one item of its list. */
function exampleValues(fields: Readonly<Record<string, CheckField>>): Record<string, CheckField['example']> {
  return Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.example]));
}
