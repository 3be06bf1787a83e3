import { Module } from '@nestjs/common';
import { RequestsModule } from '../requests/requests.module';
import { ReleaseHistoryController, SecurityAdvisoryController } from './releases.controller';
import { ReleaseHistory } from './release-history.service';
import { SecurityAdvisories } from './security-advisories.service';

/** What was released to customers: each customer's release history, and security advisories. */
@Module({
  imports: [RequestsModule],
  controllers: [ReleaseHistoryController, SecurityAdvisoryController],
  providers: [ReleaseHistory, SecurityAdvisories],
  exports: [ReleaseHistory],
})
export class ReleasesModule {}
