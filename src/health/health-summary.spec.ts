import type { HealthReportDto } from './dto/health-report.dto';
import { summarize, summarizeHealthJson } from './health-summary';

const report: HealthReportDto = {
  status: 'degraded',
  version: '1.2.3',
  uptime_seconds: 42,
  checks: {
    database: { status: 'ok', latency_ms: 2.1, detail: null },
    cache: { status: 'error', latency_ms: 1000, detail: 'redis unreachable: connect ECONNREFUSED 10.0.0.7:6379' },
  },
};

describe('summarize', () => {
  it('keeps the statuses only', () => {
    expect(summarize(report)).toEqual({
      status: 'degraded',
      checks: { database: { status: 'ok' }, cache: { status: 'error' } },
    });
  });

  it('says the same in health+json', () => {
    expect(summarizeHealthJson(report)).toEqual({
      status: 'warn',
      checks: { database: [{ status: 'pass' }], cache: [{ status: 'fail' }] },
    });
  });

  it('leaks no detail, version or timing', () => {
    const text = JSON.stringify([summarize(report), summarizeHealthJson(report)]);
    expect(text).not.toMatch(/10\.0\.0\.7|1\.2\.3|latency|uptime|42/);
  });
});
