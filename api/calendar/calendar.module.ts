import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadMailWording } from '../../activities/mail-templates';
import { MailWording } from '../../activities/mail-wording';
import { CalendarFeedController, CalendarFeedTokenController } from './calendar-feed.controller';
import { CalendarFeeds } from './calendar-feeds';

/** Customers' calendar feeds: their tokens, and the public iCalendar URL they unlock. */
@Module({
  controllers: [CalendarFeedTokenController, CalendarFeedController],
  providers: [
    { provide: CalendarFeeds, inject: [DataSource], useFactory: (dataSource: DataSource) => new CalendarFeeds(dataSource) },
    // The event titles come from the mails' strings, so a feed and an invitation name a slot alike.
    { provide: MailWording, useFactory: () => loadMailWording() },
  ],
})
export class CalendarModule {}
