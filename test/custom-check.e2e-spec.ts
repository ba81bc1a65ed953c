import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { CheckDefinition, HealthIndicator, IndicatorResult } from '../src/health/health-indicator';
import { HEALTH_CHECKS } from '../src/health/health.module';
import { RunningApp, startApp } from './support/app';
import { cli } from './support/cli';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';

/** What the vault stand-in answers; set by the tests. */
const vault = { sealed: false, leases: 7 };

/** A check of a dependency the service does not ship: one indicator class… */
@Injectable()
class VaultIndicator implements HealthIndicator {
  readonly definition: CheckDefinition = {
    key: 'vault',
    critical: false,
    componentType: 'system',
    timeoutMs: 500,
    operation: 'vault token lookup',
    failure: 'vault unreachable',
    description: 'HashiCorp Vault: a lookup of the service token',
    fields: { leases: { description: 'Leases held by the service token', example: 3 } },
    example: { latencyMs: 1.7, failure: { detail: 'vault is sealed', latencyMs: 1.2 } },
  };

  constructor(private readonly health: HealthIndicatorService) {}

  check(): Promise<IndicatorResult> {
    const session = this.health.check(this.definition.key);
    return Promise.resolve(
      vault.sealed ? session.down({ detail: 'vault is sealed' }) : session.up({ leases: vault.leases }),
    );
  }
}

/** …and one registration line: the report, OpenAPI, health+json, the CLI table and the metrics all carry it. */
const CHECKS = [...HEALTH_CHECKS, VaultIndicator];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- documents read as JSON

describe('a check added with one indicator class and one registration line', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;

  beforeAll(async () => {
    deps = await proxyDependencies();
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0' }, { checks: CHECKS });
    await service.until('healthy');
  });
  afterAll(async () => {
    await service.close();
    await deps.close();
  });
  afterEach(() => (vault.sealed = false));

  it('is in the report, after the shipped checks, with its own field', async () => {
    const { body } = await service.get();
    expect(Object.keys(body.checks)).toEqual(['database', 'cache', 'plugins', 'vault']);
    expect(body.checks.vault).toEqual({ status: 'ok', leases: 7, latency_ms: expect.any(Number), detail: null });
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
