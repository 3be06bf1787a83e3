import { Controller, Get } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import { HealthService } from './health.service';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 with every dependency up, else 503 naming the ones that are down. */
  @Get()
  check(): Promise<HealthCheckResult> {
    return this.health.check();
  }
}
