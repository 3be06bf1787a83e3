import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { SmtpHealthIndicator } from './smtp.health';
import { TemporalHealthIndicator } from './temporal.health';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [HealthService, TemporalHealthIndicator, SmtpHealthIndicator],
})
export class HealthModule {}
