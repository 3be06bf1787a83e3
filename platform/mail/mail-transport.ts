import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../config';

/**
 * The SMTP transport built from SMTP_URL, pooled: a busy worker reuses its connections instead of
 * connecting, greeting and (with TLS) shaking hands with the relay for every message. Two at most,
 * a relay's usual courtesy limit per client; close it on shutdown, or the relay keeps them open.
 */
export function createMailTransport(mail: AppConfig['mail']): Transporter {
  const url = new URL(mail.smtpUrl);
  return nodemailer.createTransport({
    pool: true,
    maxConnections: 2,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A local capture server has no certificate; STARTTLS is still used when the server offers it.
    ignoreTLS: url.searchParams.get('ignoreTLS') === 'true',
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  }, { from: mail.from });
}
