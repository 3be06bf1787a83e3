import { ApiProperty } from '@nestjs/swagger';
import { IsText } from '../validation/shape.decorators';
import type { PingOutcome } from '../../workflows/ping.contract';

export class PingRequest {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsText(1, 200)
  message!: string;
}

export class PingOutcomeView implements PingOutcome {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() message!: string;
  @ApiProperty() mailId!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}
