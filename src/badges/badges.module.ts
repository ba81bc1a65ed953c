import { Module } from '@nestjs/common';
import { HistoryStoreModule } from '../history-store';
import { BadgesController } from './badges.controller';

/** The status and uptime badges. */
@Module({
  imports: [HistoryStoreModule],
  controllers: [BadgesController],
})
export class BadgesModule {}
