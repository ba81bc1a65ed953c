import { Module } from '@nestjs/common';
import { HistoryStore } from './history-store.service';

/** The durable history (`health.db`) and the uptime read from it; for the history route, the page and the badges. */
@Module({
  providers: [HistoryStore],
  exports: [HistoryStore],
})
export class HistoryStoreModule {}
