import { Controller, Get } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { ApiErrors } from '../errors/error-body.dto';
import { HealthService } from './health.service';

/** Open to probes, which carry no API key. */
@Public()
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 with every dependency up, else 503 naming the ones that are down. */
  @Get()
  @ApiOkResponse({ description: 'Every dependency is up', schema: { type: 'object', additionalProperties: true } })
  @ApiErrors(503)
  check(): Promise<HealthCheckResult> {
    return this.health.check();
  }
}
