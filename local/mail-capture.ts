import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { startSmtpCapture, type SmtpCapture } from '../platform/mail/smtp-capture';

export interface MailCaptureOptions {
  dataDir: string;
  logger: Logger;
  port?: number;
}

/**
 * The local stand-in for a mail relay: every message the service sends is kept as an .eml file
 * under `<dataDir>/mail/`, which any mail program opens, and its path is logged.
 */
export async function startMailCapture(options: MailCaptureOptions): Promise<SmtpCapture> {
  const { dataDir, logger, port = 2525 } = options;
  const mailDir = path.resolve(dataDir, 'mail');
  await mkdir(mailDir, { recursive: true });
  return startSmtpCapture({
    port,
    async onMail(mail) {
      const file = path.join(mailDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      await writeFile(file, mail.raw);
      logger.info({ file, from: mail.envelopeFrom, to: mail.envelopeTo }, 'mail captured');
    },
  });
}
