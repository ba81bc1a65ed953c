import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { CheckDefinition, HealthIndicator, IndicatorResult } from '../health';
import { DATABASE_SETTINGS, type DatabaseSettings } from '../database/database.settings';
import { ReplayProgress, replicasFailure, replicaStates } from './replica-state';
import { ReplicaProbe } from './replica.probe';
import { REPLICAS_SETTINGS, type ReplicasSettings } from './replicas.settings';

/**
 * The PostgreSQL replicas of `DATABASE_REPLICA_URLS`: each one's streaming state and lag. Not critical: a replica
 * that is down, not streaming or too far behind degrades the service, and the report says which one and why.
 */
@Injectable()
export class ReplicasIndicator implements HealthIndicator {
  readonly definition: CheckDefinition;
  private readonly maxLagMs: number;
  private readonly progress = new ReplayProgress();

  constructor(
    private readonly probe: ReplicaProbe,
    private readonly health: HealthIndicatorService,
    @Inject(REPLICAS_SETTINGS.token) settings: ReplicasSettings,
    @Inject(DATABASE_SETTINGS.token) database: DatabaseSettings,
  ) {
    this.maxLagMs = settings.maxLagMs;
    const maxLag = `${settings.maxLagMs / 1000} s (HEALTH_REPLICA_MAX_LAG_MS)`;
    this.definition = {
      key: 'replicas',
      critical: false,
      componentType: 'datastore',
      timeoutMs: database.timeoutMs,
      operation: 'replicas check',
      failure: 'replicas check failed',
      description:
        'PostgreSQL replicas (DATABASE_REPLICA_URLS): each one must be a standby, streaming from the primary, with a ' +
        `replay lag of at most ${maxLag}`,
      fields: {
        total: { description: 'Replicas listed in DATABASE_REPLICA_URLS', example: 1, unit: '{replica}', always: true },
        healthy: { description: 'Replicas that are ok', example: 1, unit: '{replica}', always: true },
      },
      items: {
        name: 'hosts',
        description: 'Each replica, in the order DATABASE_REPLICA_URLS lists them',
        key: 'host',
        fields: {
          host: {
            type: 'string',
            description: 'The replica, `host:port` (never with credentials)',
            example: '10.0.0.6:5432',
          },
          status: {
            type: 'string',
            description: `\`error\` when it is unreachable, not a standby, not streaming, or its lag is over ${maxLag}`,
            example: 'ok',
          },
          lag_bytes: {
            description:
              'WAL bytes the replica has yet to replay: the primary’s `pg_current_wal_lsn()` (on the server the ' +
              'database check uses) minus the replica’s `pg_last_wal_replay_lsn()`, 0 at most a moment after. ' +
              '`null` when the primary cannot be asked',
            example: 0,
            unit: 'By',
            nullable: true,
          },
          lag_seconds: {
            type: 'number',
            description:
              'Replay lag: 0 when the replica has replayed all it received (`pg_last_wal_receive_lsn() = ' +
              'pg_last_wal_replay_lsn()`, so an idle primary shows no lag), else `now() - ' +
              'pg_last_xact_replay_timestamp()` on the replica, to the ms. When it has replayed no transaction since ' +
              'it started (that time is `NULL`), how long the service has seen its replay position stand still ' +
              'behind; `null` when that is unknown too, or it could not be asked',
            example: 0,
            unit: 's',
            nullable: true,
          },
          streaming: {
            type: 'boolean',
            description:
              'Whether its WAL receiver is streaming from the primary (`pg_stat_wal_receiver.status`; its `pid` ' +
              'alone when the user lacks `pg_monitor`)',
            example: true,
          },
          detail: {
            type: 'string',
            description: '`null` when ok; else why it is not',
            example: null,
            nullable: true,
          },
        },
      },
      example: {
        latencyMs: 3.2,
        failure: {
          detail: '1 of 2 replicas failing: 10.0.0.7:5432 replay lag 42.5 s is over 10 s',
          latencyMs: 3.4,
        },
      },
    };
  }

  async check(signal: AbortSignal): Promise<IndicatorResult> {
    const session = this.health.check(this.definition.key);
    const hosts = replicaStates(await this.probe.read(signal), this.maxLagMs, this.progress);
    const total = hosts.length;
    const healthy = hosts.filter((host) => host.status === 'ok').length;
    const failure = replicasFailure(hosts);
    return failure === undefined
      ? session.up({ total, healthy, hosts })
      : session.down({ total, healthy, hosts, detail: failure });
  }
}
