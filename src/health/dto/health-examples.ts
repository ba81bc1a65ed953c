import { HealthReport } from '../health-report';

/** Named examples for the documentation; each is a real answer of the service in that state. */
export const HEALTHY: HealthReport = {
  status: 'healthy',
  version: '1.0.0',
  uptime_seconds: 3412,
  checks: {
    database: { status: 'ok', latency_ms: 2.4, detail: null },
    cache: { status: 'ok', latency_ms: 0.8, detail: null },
    plugins: { status: 'ok', total: 12, runnable: 10, latency_ms: 0.9, detail: null },
  },
};

export const DEGRADED: HealthReport = {
  ...HEALTHY,
  status: 'degraded',
  checks: {
    ...HEALTHY.checks,
    cache: { status: 'error', latency_ms: 1000.6, detail: 'redis PING timed out after 1000 ms' },
  },
};

export const UNHEALTHY: HealthReport = {
  ...HEALTHY,
  status: 'unhealthy',
  checks: {
    ...HEALTHY.checks,
    database: { status: 'error', latency_ms: 3.1, detail: 'database unreachable: connect ECONNREFUSED 10.0.0.5:5432' },
  },
};
