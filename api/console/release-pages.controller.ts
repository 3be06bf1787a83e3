import { Controller, Get, Header, NotFoundException, Param, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Actor } from '../../workflows/update-request.contract';
import type { ActiveSession } from '../auth/console-sessions';
import { CurrentActor, CurrentSession } from '../auth/roles.decorator';
import { ReleaseHistoryQuery } from '../releases/release-history.dto';
import { ReleaseHistory } from '../releases/release-history.service';
import { ConsolePageFilter, HTML_PAGE, pageView } from './console-page';
import { ConsoleViews } from './console-views';

/** A customer's release history as a page: customers see their own, staff anyone's. */
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@Controller('console/customers/:customerId/releases')
export class ReleasePagesController {
  constructor(private readonly views: ConsoleViews, private readonly history: ReleaseHistory) {}

  @Get()
  @Header('content-type', HTML_PAGE)
  async releases(@CurrentSession() session: ActiveSession, @CurrentActor() actor: Actor, @Param('customerId') customerId: string): Promise<string> {
    if (actor.role === 'customer' && actor.customerId !== customerId) throw new NotFoundException(`customer ${customerId} not found`);
    const history = await this.history.of(customerId, Object.assign(new ReleaseHistoryQuery(), { pageSize: 100 }));
    return this.views.render('releases', pageView(session, actor.role === 'customer' ? 'Your release history' : `Release history of ${customerId}`, { history }));
  }
}
