import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CHECKS, parseAppConfig } from '../src/app.composition';
import { ConfigErrors } from '../src/config/app-config';
import { defineSettings, integer, SettingsOf } from '../src/config/settings';
import type { CheckDefinition, CheckRegistration, HealthIndicator, IndicatorResult } from '../src/health';
import { RunningApp, startApp } from './support/app';
import { cli } from './support/cli';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';

/** What the vault stand-in answers; set by the tests. */
const vault = { sealed: false, hung: false, leases: 7 };

/** A check of a dependency the service does not ship: its setting… */
const VAULT_SETTINGS = defineSettings('vault', {
  timeoutMs: integer('HEALTH_VAULT_TIMEOUT_MS', {
    default: 500,
    min: 1,
    max: 60_000,
    description: 'The vault check’s timeout, in ms.',
  }),
});

/** …one indicator class, reading it… */
@Injectable()
class VaultIndicator implements HealthIndicator {
  readonly definition: CheckDefinition;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(VAULT_SETTINGS.token) settings: SettingsOf<typeof VAULT_SETTINGS>,
  ) {
    this.definition = {
      key: 'vault',
      critical: false,
      componentType: 'system',
      timeoutMs: settings.timeoutMs,
      operation: 'vault token lookup',
      failure: 'vault unreachable',
      description: 'HashiCorp Vault: a lookup of the service token',
      fields: { leases: { description: 'Leases held by the service token', example: 3 } },
      example: { latencyMs: 1.7, failure: { detail: 'vault is sealed', latencyMs: 1.2 } },
    };
  }

  check(signal: AbortSignal): Promise<IndicatorResult> {
    const session = this.health.check(this.definition.key);
    // A hung vault answers when the aggregator gives up on it, as a real client would on its abort signal.
    if (vault.hung)
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    return Promise.resolve(
      vault.sealed ? session.down({ detail: 'vault is sealed' }) : session.up({ leases: vault.leases }),
    );
  }
}

/** …its registration, which brings the setting along… */
const VAULT_CHECK: CheckRegistration = { settings: VAULT_SETTINGS, load: () => ({ indicator: VaultIndicator }) };

/** …and one line: the report, OpenAPI, health+json, the CLI table and the metrics all carry it. */
const CHECKS = [...APP_CHECKS, VAULT_CHECK];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- documents read as JSON

describe('a check added with its setting, one indicator class and one registration line', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;

  beforeAll(async () => {
    deps = await proxyDependencies();
    service = await startApp(
      { ...deps.env, HEALTH_CACHE_TTL_MS: '0', HEALTH_VAULT_TIMEOUT_MS: '150' },
      { checks: CHECKS },
    );
    await service.until('healthy');
  });
  afterAll(async () => {
    await service.close();
    await deps.close();
  });
  afterEach(() => {
    vault.sealed = false;
    vault.hung = false;
  });

  it('is in the report, after the shipped checks, with its own field', async () => {
    const { body } = await service.get();
    expect(Object.keys(body.checks)).toEqual(['database', 'cache', 'plugins', 'vault']);
    expect(body.checks.vault).toEqual({ status: 'ok', leases: 7, latency_ms: expect.any(Number), detail: null });
  });

  it('reads its own setting: a hung vault costs the timeout HEALTH_VAULT_TIMEOUT_MS sets', async () => {
    vault.hung = true;
    const answer = await service.until('degraded');
    expect(answer.body.checks.vault).toMatchObject({
      status: 'error',
      detail: 'vault token lookup timed out after 150 ms',
    });
    expect(answer.body.checks.vault.latency_ms).toBeGreaterThanOrEqual(140);
  });

  it('has its setting validated at start with every other variable, one line each', () => {
    expect(() => parseAppConfig({ HEALTH_VAULT_TIMEOUT_MS: 'soon', PORT: 'http' }, { checks: CHECKS })).toThrow(
      new ConfigErrors([
        'PORT must be a whole number from 1 to 65535 (got "http")',
        'HEALTH_VAULT_TIMEOUT_MS must be a whole number from 1 to 60000 (got "soon")',
      ]),
    );
    // Without its registration the variable means nothing to the service.
    expect(() => parseAppConfig({ HEALTH_VAULT_TIMEOUT_MS: 'soon' })).not.toThrow();
  });

  it('follows the status rules it declares: a sealed vault degrades the service', async () => {
    vault.sealed = true;
    const answer = await service.until('degraded');
    expect(answer.status).toBe(200);
    expect(answer.body.checks.vault).toEqual({
      status: 'error',
      latency_ms: expect.any(Number),
      detail: 'vault is sealed',
    });
    const ready = await service.get('/health/ready');
    expect(ready.body).toEqual({ ready: true, status: 'degraded', reason: 'vault: vault is sealed' });
  });

  it('is in the OpenAPI schema of the report, with its field, and in the examples and the prose', async () => {
    const doc = (await (await fetch(`${service.url}/api/docs-json`)).json()) as Json;
    const checks = doc.components.schemas.HealthChecks;
    expect(Object.keys(checks.properties)).toEqual(['database', 'cache', 'plugins', 'vault']);
    expect(checks.required).toContain('vault');
    expect(checks.properties.vault.description).toContain('HashiCorp Vault');
    expect(checks.properties.vault.allOf[1].properties.leases).toMatchObject({ type: 'integer' });
    const operation = doc.paths['/api/v1/health'].get;
    expect(operation.description).toContain('`vault`: HashiCorp Vault');
    const healthy = operation.responses['200'].content['application/json'].examples.healthy.value;
    expect(healthy.checks.vault).toEqual({ status: 'ok', leases: 3, latency_ms: 1.7, detail: null });
  });

  it('is in the health+json answer, with the component type it declares', async () => {
    const { body } = await service.get('/health', { accept: 'application/health+json' });
    expect(body.checks['vault:responseTime']).toEqual([
      expect.objectContaining({ componentType: 'system', status: 'pass', observedUnit: 'ms' }),
    ]);
    expect(body.checks['vault:leases']).toEqual([
      expect.objectContaining({ componentType: 'system', observedValue: 7 }),
    ]);
  });

  it('is a row of the CLI table', async () => {
    const run = await cli(['--url', `${service.url}/api/v1/health`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^vault +ok +\d+\.\d ms +leases=7$/m);
  });

  it('is in the metrics', async () => {
    await service.get();
    const text = await (await fetch(`${service.url}/api/v1/metrics`)).text();
    expect(text).toMatch(/^secuscan_health_check_up\{check="vault"[^}]*\} 1$/m);
    expect(text).toMatch(/^secuscan_health_check_latency_seconds_count\{[^}]*check="vault"[^}]*\} \d+$/m);
  });
});
