import { HealthIndicatorService } from '@nestjs/terminus';
import type { CheckDefinition, CheckData, HealthIndicator, IndicatorResult } from '../../src/health/health-indicator';

/** A definition for a check under `key`, with the fields the tests do not care about filled in. */
export function definitionOf(key: string, overrides: Partial<CheckDefinition> = {}): CheckDefinition {
  return {
    key,
    critical: false,
    componentType: 'component',
    timeoutMs: 1000,
    operation: `${key} probe`,
    failure: `${key} unreachable`,
    description: `The ${key} check`,
    example: { latencyMs: 1, failure: { detail: `${key} unreachable: refused`, latencyMs: 2 } },
    ...overrides,
  };
}

/**
 * An indicator whose answers a test controls: `up` (with `data`), `down` (with a detail), a rejection, or an answer
 * that never comes until the check is aborted. Counts its calls and remembers the last signal.
 */
export class FakeIndicator implements HealthIndicator {
  readonly definition: CheckDefinition;
  mode: 'up' | 'down' | 'reject' | 'hang' = 'up';
  data: CheckData = {};
  delayMs = 0;
  calls = 0;
  lastSignal?: AbortSignal;
  private readonly health = new HealthIndicatorService();

  constructor(key: string, overrides: Partial<CheckDefinition> = {}) {
    this.definition = definitionOf(key, overrides);
  }

  async check(signal: AbortSignal): Promise<IndicatorResult> {
    this.calls++;
    this.lastSignal = signal;
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const session = this.health.check(this.definition.key);
    switch (this.mode) {
      case 'up':
        return session.up(this.data);
      case 'down':
        return session.down({ detail: `${this.definition.key} is down` });
      case 'reject':
        throw new Error(`${this.definition.key} refused`);
      case 'hang':
        return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    }
  }
}

/** A check that lists items, as the replicas check does: a count, and one item per host with its own status. */
export function listingDefinition(overrides: Partial<CheckDefinition> = {}): CheckDefinition {
  return definitionOf('replicas', {
    componentType: 'datastore',
    fields: { total: { description: 'Hosts listed', example: 1, unit: '{host}' } },
    items: {
      name: 'hosts',
      description: 'One entry per host',
      key: 'host',
      fields: {
        host: { type: 'string', description: 'The host', example: '10.0.0.6:5432' },
        status: { type: 'string', description: 'ok or error', example: 'ok' },
        lag_bytes: { description: 'Bytes behind', example: 0, unit: 'By', nullable: true },
        lag_seconds: { type: 'number', description: 'Seconds behind', example: 0.2, unit: 's', nullable: true },
        streaming: { type: 'boolean', description: 'Streaming', example: true },
        detail: { type: 'string', description: 'Why it failed', example: null, nullable: true },
      },
    },
    ...overrides,
  });
}
