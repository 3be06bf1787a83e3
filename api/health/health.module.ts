import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { SmtpHealthIndicator } from './smtp.health';
import { TemporalHealthIndicator } from './temporal.health';
import { WorkflowTasksHealthIndicator } from './workflow-tasks.health';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [HealthService, TemporalHealthIndicator, SmtpHealthIndicator, WorkflowTasksHealthIndicator],
})
export class HealthModule {}
