/**
 * The ping workflow's contract: the smallest real path through Temporal, PostgreSQL and SMTP,
 * used to prove a deployment is wired together. Imports nothing but types.
 */
export interface PingInput {
  message: string;
  /** Optional durable wait before recording, e.g. '7 days'; proves timers survive and skip in tests. */
  delay?: string;
}

export interface PingOutcome {
  id: string;
  workflowId: string;
  message: string;
  mailId: string;
  recordedAt: string;
}
