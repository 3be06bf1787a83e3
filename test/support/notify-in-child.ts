// Runs one `notify` activity in a process of its own, so a test can kill it mid-send the way a
// worker dies: DATABASE_URL, DATABASE_SCHEMA, SMTP_URL and NOTIFICATION (JSON) say what to send.
import { createNotificationActivities } from '../../activities/notification.activities';
import { createDataSource } from '../../platform/database/data-source';
import { createMailTransport } from '../../platform/mail/mail-transport';

async function main(): Promise<void> {
  const env = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
  const dataSource = await createDataSource({ url: env('DATABASE_URL'), schema: env('DATABASE_SCHEMA'), urlGiven: true }).initialize();
  const mailer = createMailTransport({ smtpUrl: env('SMTP_URL'), from: 'updates@example.test', operationsEmail: 'ops@example.test', smtpUrlGiven: true });
  await createNotificationActivities({ dataSource, mailer, operationsEmail: 'ops@example.test' }).notify(JSON.parse(env('NOTIFICATION')));
  mailer.close();
  await dataSource.destroy();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
