import { Module } from '@nestjs/common';
import { HistoryStoreModule } from '../history-store';
import { EventStreamService } from './event-stream.service';
import { EventsController } from './events.controller';
import { HistoryController } from './history.controller';
import { HistoryService } from './history.service';
import { StatusPageController } from './status-page.controller';

/** History of the evaluations, the live event stream and the status page built on both. */
@Module({
  imports: [HistoryStoreModule],
  controllers: [HistoryController, EventsController, StatusPageController],
  providers: [HistoryService, EventStreamService],
  exports: [EventStreamService],
})
export class StatusModule {}
