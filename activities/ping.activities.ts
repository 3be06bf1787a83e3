import type { Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { PingResult } from '../platform/database/ping-result.entity';
import type { PingOutcome } from '../workflows/ping.contract';

export interface PingDependencies {
  dataSource: DataSource;
  mailer: Transporter;
  operationsEmail: string;
}

export function createPingActivities({ dataSource, mailer, operationsEmail }: PingDependencies) {
  return {
    /** Sends the ping mail, then stores the row; a retry finds the row and returns it unchanged. */
    async recordPing(input: { id: string; workflowId: string; message: string }): Promise<PingOutcome> {
      const rows = dataSource.getRepository(PingResult);
      let row = await rows.findOneBy({ id: input.id });
      if (!row) {
        const sent = await mailer.sendMail({
          to: operationsEmail,
          subject: `Ping ${input.workflowId}`,
          text: `Ping from workflow ${input.workflowId}: ${input.message}`,
          messageId: `<ping-${input.id}@managed-updates>`,
        });
        await rows.createQueryBuilder().insert()
          .values({ id: input.id, workflowId: input.workflowId, message: input.message, mailId: sent.messageId })
          .orIgnore().execute();
        row = await rows.findOneByOrFail({ id: input.id });
      }
      return {
        id: row.id,
        workflowId: row.workflowId,
        message: row.message,
        mailId: row.mailId,
        recordedAt: row.createdAt.toISOString(),
      };
    },
  };
}

export type PingActivities = ReturnType<typeof createPingActivities>;
