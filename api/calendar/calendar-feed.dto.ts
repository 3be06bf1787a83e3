import { ApiProperty } from '@nestjs/swagger';

/** Issuing a feed takes no input; the body is an (empty) object like every other POST's. */
export class IssueCalendarFeedBody {}

export class CalendarFeedView {
  @ApiProperty({ description: 'The feed to subscribe to; shown once (only a hash of its token is stored). Anyone holding it can read the slots.',
    example: 'https://updates.example/calendar/mucal_3q2-….ics' })
  url!: string;

  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
}
