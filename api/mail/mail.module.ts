import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import type { AppConfig } from '../../platform/config';
import { createMailTransport } from '../../platform/mail/mail-transport';
import { APP_CONFIG } from '../config/config.module';

/** Injection token of the nodemailer transport (an interface type). */
export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/** The SMTP transport, shared by every feature that sends or checks mail; closed on shutdown. */
@Global()
@Module({
  providers: [
    { provide: MAIL_TRANSPORT, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createMailTransport(config.mail) },
  ],
  exports: [MAIL_TRANSPORT],
})
export class MailModule implements OnApplicationShutdown {
  constructor(@Inject(MAIL_TRANSPORT) private readonly transport: Transporter) {}

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
