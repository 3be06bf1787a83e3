import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One run of the end-to-end ping path: proof that Temporal, PostgreSQL and SMTP are connected. */
@Entity({ name: 'ping_results' })
export class PingResult {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ name: 'mail_id', type: 'text' })
  mailId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
