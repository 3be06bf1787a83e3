import { BadRequestException, Body, Controller, Get, Header, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../../platform/config';
import type { Actor } from '../../workflows/update-request.contract';
import type { ActiveSession } from '../auth/console-sessions';
import { ConsoleSessions } from '../auth/console-sessions';
import { Public } from '../auth/public.decorator';
import { CurrentActor, CurrentSession } from '../auth/roles.decorator';
import { clearedSessionCookie, secureCookies, sessionCookie } from '../auth/session-cookie';
import { SignInService } from '../auth/sign-in.service';
import { APP_CONFIG } from '../config/config.module';
import { ConsolePageFilter, HTML_PAGE, homeOf, pageView } from './console-page';
import { ConsoleViews } from './console-views';
import { SameOriginGuard } from './same-origin.guard';
import { SessionRequestBody, SignInRequestBody } from './sign-in.dto';

/** The one answer to every sign-in request, whether or not the address belongs to someone. */
const LINK_SENT = 'If this address may use the console, a sign-in link is on its way to it. The link works once, for a few minutes.';

/** Signing in with a mailed one-time link, and signing out. */
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@Controller('console')
export class SignInController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly signIn: SignInService,
    private readonly sessions: ConsoleSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  home(@CurrentActor() actor: Actor, @Res() res: ServerResponse): void {
    res.writeHead(303, { Location: homeOf(actor.role) }).end();
  }

  @Public()
  @Get('sign-in')
  @Header('content-type', HTML_PAGE)
  signInPage(): string {
    return this.views.render('sign-in', pageView(undefined, 'Sign in'));
  }

  @Public()
  @Post('sign-in')
  @UseGuards(SameOriginGuard)
  @HttpCode(202)
  async requestLink(@Req() req: IncomingMessage, @Body() body: SignInRequestBody): Promise<{ message: string }> {
    await this.signIn.requestLink(body.email, req.socket.remoteAddress ?? 'unknown');
    return { message: LINK_SENT };
  }

  /** The link's page only asks to continue (the script reads the token from the fragment): opening it uses nothing up. */
  @Public()
  @Get('sign-in/link')
  @Header('content-type', HTML_PAGE)
  linkPage(): string {
    return this.views.render('sign-in-link', pageView(undefined, 'Sign in'));
  }

  @Public()
  @Post('session')
  @UseGuards(SameOriginGuard)
  @HttpCode(200)
  async openSession(@Body() body: SessionRequestBody, @Res({ passthrough: true }) res: ServerResponse): Promise<{ location: string }> {
    const opened = await this.signIn.redeem(body.token);
    if (!opened) throw new BadRequestException(['this sign-in link was used already, has expired or is unknown: ask for a new one']);
    res.setHeader('Set-Cookie', sessionCookie(opened.token, opened.expiresAt, secureCookies(this.config.console.url)));
    return { location: '/console' };
  }

  @Post('sign-out')
  @HttpCode(200)
  async signOut(@CurrentSession() session: ActiveSession | undefined, @Res({ passthrough: true }) res: ServerResponse): Promise<{ location: string }> {
    if (session) await this.sessions.revoke(session.id);
    res.setHeader('Set-Cookie', clearedSessionCookie(secureCookies(this.config.console.url)));
    return { location: '/console/sign-in' };
  }
}
