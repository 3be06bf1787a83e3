import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { PingOutcome } from '../../workflows/ping.contract';

export class PingRequest {
  // Listed last-checked first: with stopAtFirstError a number is reported as "not a string", not as a bad length.
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @Length(1, 200)
  @IsString()
  message!: string;
}

export class PingOutcomeView implements PingOutcome {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() message!: string;
  @ApiProperty() mailId!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}
