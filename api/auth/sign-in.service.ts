import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import Handlebars from 'handlebars';
import type { Transporter } from 'nodemailer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FALLBACK_LANGUAGE, MAIL_TEMPLATE_DIR } from '../../activities/mail-templates';
import type { AppConfig } from '../../platform/config';
import { APP_CONFIG } from '../config/config.module';
import { MAIL_TRANSPORT } from '../mail/mail.module';
import { ConsoleSessions, type OpenedSession } from './console-sessions';
import { normaliseEmail, PeopleStore } from './people-store';
import { SignInLimiter } from './sign-in-limiter';

/**
 * The sign-in link of a token. The token travels in the fragment, which browsers never send to a
 * server: it stays out of access logs and Referer headers. The page it opens asks to continue, so a
 * mail scanner's visit does not use the link up.
 */
export function signInLink(consoleUrl: string, token: string): string {
  return `${consoleUrl}/console/sign-in/link#${token}`;
}

/**
 * Password-less sign-in: a person asks for a link with their address and receives it by mail.
 * The answer is the same whether the address is known or not, and the mail is sent after the
 * answer, so neither the page nor its timing tells who has an account here.
 */
@Injectable()
export class SignInService {
  private readonly logger = new Logger(SignInService.name);
  private readonly mail = {
    text: Handlebars.compile(readFileSync(path.join(MAIL_TEMPLATE_DIR, FALLBACK_LANGUAGE, 'sign-in.text.hbs'), 'utf8'), { noEscape: true }),
    html: Handlebars.compile(readFileSync(path.join(MAIL_TEMPLATE_DIR, FALLBACK_LANGUAGE, 'sign-in.html.hbs'), 'utf8')),
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAIL_TRANSPORT) private readonly transport: Transporter,
    private readonly people: PeopleStore,
    private readonly sessions: ConsoleSessions,
    private readonly limiter: SignInLimiter,
  ) {}

  /** Mails a sign-in link to `email` if a person has it; 429 when the address or client asked too often. */
  async requestLink(email: string, client: string): Promise<void> {
    if (!(await this.limiter.admit(normaliseEmail(email), client))) {
      throw new HttpException('too many sign-in requests: wait a few minutes and try again', HttpStatus.TOO_MANY_REQUESTS);
    }
    void this.sendLink(email).catch((err: unknown) => this.logger.error({ err }, 'sign-in mail not sent'));
  }

  /** Exchanges a link for a session; undefined when the link is unknown, used or expired. */
  redeem(linkToken: string): Promise<OpenedSession | undefined> {
    return this.sessions.redeemLink(linkToken, this.config.console.sessionHours);
  }

  private async sendLink(email: string): Promise<void> {
    const person = await this.people.findActive(email);
    if (!person) return;
    const minutes = this.config.console.signInLinkMinutes;
    const view = { email: person.email, minutes, link: signInLink(this.config.console.url, await this.sessions.issueLink(person.id, minutes)) };
    await this.transport.sendMail({
      to: person.email,
      subject: 'Your sign-in link for Managed Updates',
      text: this.mail.text(view),
      html: this.mail.html(view),
    });
  }
}
