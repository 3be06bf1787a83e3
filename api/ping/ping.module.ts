import { Module } from '@nestjs/common';
import { PingController } from './ping.controller';
import { PingService } from './ping.service';

/** The end-to-end proof that a deployment is wired together; replaced by the update requests. */
@Module({
  controllers: [PingController],
  providers: [PingService],
})
export class PingModule {}
