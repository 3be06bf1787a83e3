import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface CapturedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
}

export interface SmtpCapture {
  url: string;
  port: number;
  /** Connections opened so far (a pooled client reuses one). */
  readonly connections: number;
  close(): Promise<void>;
}

export interface SmtpCaptureOptions {
  host?: string;
  port?: number;
  onMail(mail: CapturedMail): void | Promise<void>;
  /** Lets a test make the server refuse messages (to `recipients`), as a real server does when it is in trouble. */
  refuse?: (recipients: string[]) => string | undefined;
}

/**
 * A real SMTP server that accepts every message and hands it over raw: the local stand-in for a
 * mail relay (`npm start` keeps each message as a file) and the peer of the mail tests.
 */
export async function startSmtpCapture(options: SmtpCaptureOptions): Promise<SmtpCapture> {
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    // A client that never closes its pooled connections holds up `close` for this long, not 30 s.
    closeTimeout: 1_000,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const refusal = options.refuse?.(session.envelope.rcptTo.map((r) => r.address));
        if (refusal) return callback(Object.assign(new Error(refusal), { responseCode: 451 }));
        const mail: CapturedMail = {
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        };
        Promise.resolve(options.onMail(mail)).then(() => callback(), callback);
      });
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${host}:${port}`,
    port,
    get connections() { return connections; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
