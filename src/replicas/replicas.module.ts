import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseModule } from '../database/database.module';
import { ReplicaProbe } from './replica.probe';
import { ReplicasIndicator } from './replicas.health';

/**
 * The replicas check's connections (one to each replica, one to the primary) and its indicator. It imports the
 * database check's module for the {@link PrimaryLocator}: the bytes of lag are counted from the server that check
 * uses, and follow it through a failover.
 */
@Module({
  imports: [TerminusModule, DatabaseModule],
  providers: [ReplicaProbe, ReplicasIndicator],
  exports: [ReplicasIndicator],
})
export class ReplicasModule {}
