import { Controller, Get, Header, Inject, Query, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SupportHours } from '../../activities/support-hours';
import type { AppConfig } from '../../platform/config';
import type { ActiveSession } from '../auth/console-sessions';
import { CurrentSession, Roles } from '../auth/roles.decorator';
import { APP_CONFIG } from '../config/config.module';
import { toSummaryView } from '../requests/request-views.dto';
import { calendarPeriod, calendarView, type CalendarSpan } from './calendar-view';
import { ConsolePageFilter, HTML_PAGE, pageView } from './console-page';
import { ConsoleQueries } from './console-queries.service';
import { ConsoleViews } from './console-views';

/** The operators' pages: what waits for them, and the calendar of slots. */
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@Roles('operator')
@Controller('console')
export class OperatorPagesController {
  private readonly supportHours: SupportHours;

  constructor(
    private readonly views: ConsoleViews,
    private readonly queries: ConsoleQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.supportHours = new SupportHours(config.supportHours);
  }

  @Get('queue')
  @Header('content-type', HTML_PAGE)
  async queue(@CurrentSession() session: ActiveSession): Promise<string> {
    const now = Date.now();
    const items = (await this.queries.queue()).map((row) => ({
      ...toSummaryView(row),
      overdue: row.next_deadline !== null && row.next_deadline.getTime() < now,
    }));
    return this.views.render('queue', pageView(session, 'Waiting for operators', { items }));
  }

  @Get('calendar')
  @Header('content-type', HTML_PAGE)
  async calendar(@CurrentSession() session: ActiveSession, @Query('view') view?: string, @Query('date') date?: string): Promise<string> {
    const span: CalendarSpan = view === 'month' ? 'month' : 'week';
    const zone = this.config.supportHours.timeZone;
    const { from, to } = calendarPeriod(span, date, zone);
    const rows = await this.queries.slots(from.toJSDate(), to.toJSDate());
    const calendar = calendarView(span, date, rows, this.config.supportHours, this.supportHours);
    return this.views.render('calendar', pageView(session, `Calendar: ${calendar.title}`, { calendar, isWeek: span === 'week' }));
  }
}
