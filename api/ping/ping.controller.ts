import { Body, Controller, Post } from '@nestjs/common';
import type { PingOutcome } from '../../workflows/ping.contract';
import { PingRequest } from './ping.dto';
import { PingService } from './ping.service';

@Controller('ping')
export class PingController {
  constructor(private readonly pings: PingService) {}

  @Post()
  ping(@Body() body: PingRequest): Promise<PingOutcome> {
    return this.pings.ping(body.message);
  }
}
