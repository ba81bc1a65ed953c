import { Global, Module } from '@nestjs/common';
import { ManagementListener } from '../http/management-listener';
import { DetailsAccess } from './details-access.service';
import { DetailsGuard } from './details.guard';

/** Who sees what: the details policy, its guard and the management listener it depends on; global. */
@Global()
@Module({
  providers: [ManagementListener, DetailsAccess, DetailsGuard],
  exports: [ManagementListener, DetailsAccess, DetailsGuard],
})
export class AccessModule {}
