/**
 * deploy/prometheus and deploy/grafana, judged by promtool and by the service's real metrics: the rules parse and
 * pass their unit tests, the PrometheusRule example holds the same groups, every query is valid PromQL, and every
 * query of the rules and the dashboard names a series the running service exports (or a recording rule of
 * rules.yml, or Prometheus's own `up`).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { RunningApp, startApp } from '../support/app';
import { manifests } from '../support/kubernetes-manifests';
import { exportedSeries, metricNames } from '../support/promql';
import { promtool } from '../support/promtool';
import { ROOT, readRepoFile } from '../support/repository';
import { METRICS_PATH } from '../support/service-routes';

const RULES = join(ROOT, 'deploy', 'prometheus', 'rules.yml');
const RULES_TEST = join(ROOT, 'deploy', 'prometheus', 'rules.test.yml');

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
}
interface RuleGroup {
  name: string;
  rules: Rule[];
}
const groups = (parse(readRepoFile('deploy', 'prometheus', 'rules.yml')) as { groups: RuleGroup[] }).groups;
const rules = groups.flatMap((g) => g.rules);

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: Array<{ name: string; query?: string | { query: string } }> };
}
const dashboard = JSON.parse(readRepoFile('deploy', 'grafana', 'secuscan-health.json')) as Dashboard;
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);

/** Every PromQL query of the dashboard, named by where it is: panel targets and template-variable queries. */
function dashboardQueries(): Array<[string, string]> {
  const queries: Array<[string, string]> = [];
  for (const panel of allPanels(dashboard.panels)) {
    for (const target of panel.targets ?? []) queries.push([`panel "${panel.title}"`, target.expr]);
  }
  for (const variable of dashboard.templating.list) {
    const query = typeof variable.query === 'object' ? variable.query.query : undefined;
    const inner = query && /^label_values\((.*),\s*\w+\)$/.exec(query)?.[1];
    if (inner) queries.push([`variable $${variable.name}`, inner]);
  }
  return queries;
}

/** A dashboard query as Prometheus receives it: Grafana's variables replaced by values it could send. */
const asSent = (expr: string): string =>
  expr.replace(/\$__rate_interval|\$__range|\$__interval/g, '5m').replace(/\$(job|instance)\b/g, '.*');

describe('deploy/prometheus and deploy/grafana', () => {
  let service: RunningApp;
  let exported: Set<string>;
  const tmp = mkdtempSync(join(tmpdir(), 'secuscan-prometheus-'));

  beforeAll(async () => {
    service = await startApp();
    await service.until('healthy');
    exported = exportedSeries(await (await fetch(`${service.url}${METRICS_PATH}`)).text());
  });
  afterAll(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await service?.close();
  });

  it('rules.yml passes promtool check rules', async () => {
    const verdict = await promtool(['check', 'rules', RULES]);
    expect(verdict).toEqual({ code: 0, output: expect.stringContaining('SUCCESS: 9 rules found') });
  });

  it('the rules pass their unit tests (promtool test rules)', async () => {
    expect(await promtool(['test', 'rules', RULES_TEST])).toEqual({
      code: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });

  it('the unit tests are real judges: an unhealthy alert without its minute, or a wrong threshold, fails them', async () => {
    const broken = (edit: (rule: Rule) => void): Promise<{ code: number; output: string }> => {
      const copy = structuredClone(groups);
      for (const rule of copy.flatMap((g) => g.rules)) edit(rule);
      writeFileSync(join(tmp, 'rules.yml'), stringify({ groups: copy }));
      copyFileSync(RULES_TEST, join(tmp, 'rules.test.yml'));
      return promtool(['test', 'rules', join(tmp, 'rules.test.yml')]);
    };
    const early = await broken((rule) => {
      if (rule.alert === 'SecuScanHealthUnhealthy') rule.for = '0s';
    });
    expect(early.code).not.toBe(0);
    expect(early.output).toContain('SecuScanHealthUnhealthy');
    const stale = await broken((rule) => {
      if (rule.alert === 'SecuScanHealthStale') rule.expr = rule.expr.replace('300', '600');
    });
    expect(stale.code).not.toBe(0);
    expect(stale.output).toContain('SecuScanHealthStale');
  });

  it('the PrometheusRule example holds exactly the groups of rules.yml (npm run deploy:rules writes it)', () => {
    const [rule] = manifests.get('prometheusrule.example.yaml') ?? [];
    expect(rule?.kind).toBe('PrometheusRule');
    expect((rule as unknown as { spec: { groups: RuleGroup[] } }).spec.groups).toEqual(groups);
  });

  it('the alerts SPEC names are there: unhealthy for 1 m, degraded for 10 m, no plugin runnable, target down', () => {
    const alert = (name: string) => rules.find((r) => r.alert === name);
    expect(alert('SecuScanHealthUnhealthy')).toMatchObject({ for: '1m', expr: expect.stringContaining('unhealthy') });
    expect(alert('SecuScanHealthDegraded')).toMatchObject({ for: '10m', expr: expect.stringContaining('degraded') });
    expect(alert('SecuScanHealthNoPluginRunnable')?.expr).toContain('field="runnable"');
    expect(alert('SecuScanHealthTargetDown')?.expr).toMatch(/^up\{/);
  });

  it('every dashboard query is valid PromQL (promtool parses each as a recording rule)', async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThanOrEqual(10);
    const file = join(tmp, 'dashboard-queries.yml');
    const asRules = queries.map(([, expr], i) => ({ record: `dashboard:query:${i}`, expr: asSent(expr) }));
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: asRules }] }));
    const verdict = await promtool(['check', 'rules', file]);
    expect(verdict).toEqual({ code: 0, output: expect.stringContaining(`SUCCESS: ${queries.length} rules found`) });
  });

  it('every query of the rules and the dashboard names a series the service exports, a recording rule, or up', () => {
    const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
    const known = (name: string) => exported.has(name) || recorded.has(name) || name === 'up';
    const queries = [
      ...rules.map((r): [string, string] => [`rule ${r.alert ?? r.record}`, r.expr]),
      ...dashboardQueries(),
    ];
    const unknown = queries.flatMap(([where, expr]) =>
      metricNames(expr)
        .filter((n) => !known(n))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
    // Each query names at least one series (a query that reads none would pass the line above vacuously).
    expect(queries.filter(([, expr]) => metricNames(expr).length === 0)).toEqual([]);
    // The dashboard shows every series the service exports of its own.
    const shown = new Set(dashboardQueries().flatMap(([, expr]) => metricNames(expr)));
    const own = [...exported].filter((n) => n.startsWith('secuscan_health_') && !/_(sum|count)$/.test(n));
    expect(own.filter((n) => !shown.has(n) && !shown.has(`${n}_bucket`) && !n.endsWith('_bucket'))).toEqual([]);
  });

  it('the metric-name reader is a real judge', () => {
    expect(
      metricNames('histogram_quantile(0.95, sum by (check, le) (rate(a_bucket{x="y z"}[$__rate_interval])))'),
    ).toEqual(['a_bucket']);
    expect(metricNames('time() - b_seconds{job=~"$job"} > 300 and on (job) c == 1')).toEqual(['b_seconds', 'c']);
    expect(readFileSync(RULES, 'utf8')).toContain('secuscan_health_status');
  });
});
