import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarFeedController, CalendarFeedTokenController } from './calendar-feed.controller';
import { CalendarFeeds } from './calendar-feeds';

/** Customers' calendar feeds: their tokens, and the public iCalendar URL they unlock. */
@Module({
  controllers: [CalendarFeedTokenController, CalendarFeedController],
  providers: [{ provide: CalendarFeeds, inject: [DataSource], useFactory: (dataSource: DataSource) => new CalendarFeeds(dataSource) }],
})
export class CalendarModule {}
