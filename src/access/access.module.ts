import { Global, Module } from '@nestjs/common';
import { ManagementListener } from '../http/management-listener';
import { DetailsAccess } from './details-access.service';
import { DetailsGuard } from './details.guard';
import { OperatorGuard } from './operator.guard';

/**
 * Who sees what and who may act: the details policy and its guard, the operator routes' guard, and the management
 * listener they depend on; global.
 */
@Global()
@Module({
  providers: [ManagementListener, DetailsAccess, DetailsGuard, OperatorGuard],
  exports: [ManagementListener, DetailsAccess, DetailsGuard, OperatorGuard],
})
export class AccessModule {}
