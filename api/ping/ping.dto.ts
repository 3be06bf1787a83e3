import { IsString, Length } from 'class-validator';

export class PingRequest {
  // Listed last-checked first: with stopAtFirstError a number is reported as "not a string", not as a bad length.
  @Length(1, 200)
  @IsString()
  message!: string;
}
