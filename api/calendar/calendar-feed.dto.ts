import { ApiProperty } from '@nestjs/swagger';

/** Issuing a feed takes no input; the body is an (empty) object like every other POST's. */
export class IssueCalendarFeedBody {}

export class CalendarFeedView {
  @ApiProperty({ description: 'The feed to subscribe to; shown once (only a hash of its token is stored). Anyone holding it can read the slots.',
    example: 'https://updates.example/calendar/mucal_3q2-….ics' })
  url!: string;

  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
}

/** The feed a revocation ended. */
export class RevokedCalendarFeedView {
  @ApiProperty() customerId!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ description: 'Who had issued it (the API key\'s or person\'s subject)' }) issuedBy!: string;
}
