import { parseAppConfig } from '../app.composition';
import { ConfigErrors } from '../config/app-config';
import { settingsFrom } from '../config/settings';
import { REPLICAS_CHECK } from './replicas.check';
import { REPLICAS_SETTINGS } from './replicas.settings';

const parse = (value?: string) => settingsFrom(REPLICAS_SETTINGS, { DATABASE_REPLICA_URLS: value });
const addresses = (value: string) => parse(value).replicas.map(({ address }) => address);

/** The one line `value` is refused with; checked to echo no piece of the password `Xq9Zk`. */
function refusal(value: string): string {
  try {
    parse(value);
  } catch (error) {
    const { problems } = error as ConfigErrors;
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toMatch(/Xq9|Zk/);
    return problems[0];
  }
  throw new Error(`${value} was accepted`);
}

describe('DATABASE_REPLICA_URLS', () => {
  it('is empty when unset, and HEALTH_REPLICA_MAX_LAG_MS is 10 s by default', () => {
    expect(parse()).toEqual({ replicas: [], maxLagMs: 10_000 });
  });

  it('takes comma-separated URLs, each one replica per host, a multi-host URL sharing its credentials', () => {
    expect(addresses('postgres://app:Xq9Zk@r1:5433/app, postgres://app:Xq9Zk@r2/app')).toEqual(['r1:5433', 'r2:5432']);
    const replicas = parse('postgres://app:Xq9Zk@r1:5432,r2:5433,[fd00::9]/app?sslmode=require').replicas;
    expect(replicas.map(({ url }) => url)).toEqual([
      'postgres://app:Xq9Zk@r1:5432/app?sslmode=require',
      'postgres://app:Xq9Zk@r2:5433/app?sslmode=require',
      'postgres://app:Xq9Zk@[fd00::9]:5432/app?sslmode=require',
    ]);
  });

  it.each([
    [',', 'DATABASE_REPLICA_URLS has an empty entry (entry 1): list postgres:// URLs separated by commas'],
    [
      'postgres://u:Xq9Zk@r1/app,,postgres://r2/app',
      'DATABASE_REPLICA_URLS has an empty entry (entry 2): list postgres:// URLs separated by commas',
    ],
    ['r1:5432', 'DATABASE_REPLICA_URLS entry 1 is not a postgres:// URL'],
    [
      'postgres://u:Xq9Zk@r1:5432,,r3/app',
      'DATABASE_REPLICA_URLS has an empty host 2 of 3: separate hosts with single commas',
    ],
    [
      'postgres://r1/app,postgres://u:Xq9Zk@r2:99999/app',
      'DATABASE_REPLICA_URLS (URL 2 of 2) host has a port that is not a number from 1 to 65535',
    ],
    ['postgres://u:Xq9Zk@r1/app,postgres://u:Xq9Zk@r1:5432/app', 'DATABASE_REPLICA_URLS names r1:5432 twice'],
    ['redis://u:Xq9Zk@r1/app', 'DATABASE_REPLICA_URLS must start with postgres:// or postgresql://'],
  ])('refuses %s with one line', (value, message) => {
    expect(refusal(value)).toContain(message);
  });
});

describe('the replicas check in the application', () => {
  it('runs only when DATABASE_REPLICA_URLS names a replica, after the other checks', () => {
    expect(parseAppConfig({}).checks).not.toContain(REPLICAS_CHECK);
    const config = parseAppConfig({ DATABASE_REPLICA_URLS: 'postgres://r1/app' });
    expect(config.checks.at(-1)).toBe(REPLICAS_CHECK);
  });

  it('has its settings validated with every other variable even when it would not run', () => {
    expect(() => parseAppConfig({ HEALTH_REPLICA_MAX_LAG_MS: 'soon' })).toThrow(
      'HEALTH_REPLICA_MAX_LAG_MS must be a whole number from 0 to 86400000 (got "soon")',
    );
  });
});
