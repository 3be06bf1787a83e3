import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import type { Transporter } from 'nodemailer';
import { createActivities, type ActivityDependencies } from '../../activities';
import { SimulatedSessionProvider, type SessionProvider } from '../../activities/session-provider';
import { SimulatedSnapshotProvider, type SnapshotProvider } from '../../activities/snapshot-provider';
import { SupportHours } from '../../activities/support-hours';
import { loadConfig, type OnCallConfig } from '../../platform/config';
import { createMailTransport } from '../../platform/mail/mail-transport';
import { payloadDataConverter } from '../../platform/payload-codec';
import { searchAttributeIndexedTypes } from '../../platform/search-attributes';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle';
import {
  initialSearchAttributes,
  updateRequestWorkflowId,
  getHostStateQuery,
  type Actor,
  type HostUpdateState,
  type UpdateRequest,
  type UpdateRequestState,
  type UpdateStatus,
} from '../../workflows/update-request.contract';
import { managedUpdateWorkflow } from '../../workflows';
import { createTestDatabase, type TestDatabase } from './database';
import { TestMailbox } from './mailbox';
import { startTimeSkippingServer } from './temporal';

export type RequestHandle = WorkflowHandle<typeof managedUpdateWorkflow>;

export const operator: Actor = { id: 'olga.operator', role: 'operator' };
export const auditor: Actor = { id: 'ada.auditor', role: 'auditor' };
export function customerOf(customerId: string): Actor {
  return { id: `${customerId}.it-lead`, role: 'customer', customerId };
}

/** By default both providers are simulated; 'manual' leaves the step to the operator. */
export interface HarnessOptions {
  snapshotProvider?: SnapshotProvider | 'manual';
  sessionProvider?: SessionProvider | 'manual';
  /** The test stops and starts the worker (stopWorker/startWorker). */
  restartsWorker?: boolean;
  /** The escalation path (ON_CALL_EMAIL, ON_CALL_SEVERITIES); absent, operations alone. */
  onCall?: OnCallConfig;
  /** Providers that need the harness's database (the inventory); they replace the two above. */
  providersFor?: (db: TestDatabase) => Pick<HarnessOptions, 'snapshotProvider' | 'sessionProvider'>;
}

/**
 * One time-skipping Temporal test server, a fresh PostgreSQL schema, an in-process SMTP server and
 * a worker with the real activities. Start one per test (`beforeEach`), not per file: the test
 * server can leak a time-skipping lock when a run closes with an activity in flight
 * (temporalio/sdk-java#1138), after which every later skip on that server runs in real time.
 */
export class UpdateHarness {
  readonly taskQueue = `updates-${randomUUID()}`;
  readonly config = loadConfig({});
  /** The workers' mail transport, pooled, so closed before the mailbox (see `stop`). */
  private readonly mailer: Transporter;
  private worker?: Worker;
  private running?: Promise<void>;

  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly db: TestDatabase,
    readonly mailbox: TestMailbox,
    private readonly options: HarnessOptions,
  ) {
    this.mailer = createMailTransport({ ...this.config.mail, smtpUrl: mailbox.url });
  }

  static async start(options: HarnessOptions = {}): Promise<UpdateHarness> {
    const dataConverter = payloadDataConverter(loadConfig({}).payloadKeys);
    const [env, db, mailbox] = await Promise.all([startTimeSkippingServer(dataConverter), createTestDatabase(), TestMailbox.start()]);
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: searchAttributeIndexedTypes(),
    });
    const harness = new UpdateHarness(env, db, mailbox, { ...options, ...options.providersFor?.(db) });
    await harness.startWorker();
    return harness;
  }

  activityDependencies(): ActivityDependencies {
    const { snapshotProvider, sessionProvider } = this.options;
    return {
      dataSource: this.db.dataSource,
      mailer: this.mailer,
      operationsEmail: 'operations@provider.test',
      onCall: this.options.onCall,
      policy: this.config.policy,
      supportHours: new SupportHours(this.config.supportHours),
      snapshotProvider: snapshotProvider === 'manual' ? undefined : snapshotProvider ?? new SimulatedSnapshotProvider(),
      sessionProvider: sessionProvider === 'manual' ? undefined : sessionProvider ?? new SimulatedSessionProvider(),
    };
  }

  async startWorker(): Promise<void> {
    this.worker = await Worker.create({
      connection: this.env.nativeConnection,
      taskQueue: this.taskQueue,
      workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
      dataConverter: payloadDataConverter(this.config.payloadKeys),
      activities: createActivities(this.activityDependencies()),
      // The test server never hands a stopped worker's sticky tasks (queries too) to another worker,
      // so a test that restarts its worker runs without a sticky cache.
      ...(this.options.restartsWorker ? { maxCachedWorkflows: 0 } : {}),
    });
    this.running = this.worker.run();
  }

  /**
   * Whether a workflow still has work of its own in flight: an activity, a workflow task or a child
   * being started. A worker stopped then leaves that work to no one, and the test server does not
   * skip time while a task is outstanding, so every later skip would run in real time.
   */
  async busy(handle: WorkflowHandle): Promise<boolean> {
    const { raw } = await handle.describe();
    if ((raw.pendingActivities?.length ?? 0) > 0 || (raw.pendingChildren ?? []).some((c) => !c.runId)) return true;
    // The test server does not report a pending workflow task in `describe`; its history does.
    let taskOpen = false;
    for (const e of (await handle.fetchHistory()).events ?? []) {
      if (e.workflowTaskScheduledEventAttributes) taskOpen = true;
      if (e.workflowTaskCompletedEventAttributes || e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes) taskOpen = false;
    }
    return taskOpen;
  }

  /** Polls (real time, a few seconds at most) until the request has nothing in flight (see `busy`). */
  async untilSettled(handle: RequestHandle): Promise<UpdateRequestState> {
    let last: UpdateRequestState | undefined;
    return poll(async () => {
      if (await this.busy(handle)) return undefined;
      last = await this.state(handle);
      return last;
    }, () => `the request to settle; status ${last?.status}`);
  }

  /** Stops the worker as a crash or deploy would; its workflows wait on the server. */
  async stopWorker(): Promise<void> {
    this.worker?.shutdown();
    await this.running;
    this.worker = undefined;
  }

  /** Stops everything; a worker that does not drain within 10 s (a failed test) is abandoned. */
  async stop(): Promise<void> {
    await Promise.race([this.stopWorker(), new Promise((r) => setTimeout(r, 10_000).unref())]);
    this.mailer.close();
    await Promise.all([this.env.teardown(), this.db.drop(), this.mailbox.close()]);
  }

  async now(): Promise<Date> {
    return new Date(await this.env.currentTimeMs());
  }

  /** A valid request submitted now, wanting its update `daysAhead` days from now. */
  async request(overrides: Partial<UpdateRequest> = {}, daysAhead = 21): Promise<UpdateRequest> {
    const now = await this.now();
    return {
      requestId: randomUUID(),
      customerId: `cust-${randomUUID().slice(0, 8)}`,
      software: { name: 'Abacus ERP', vendor: 'Abacus', currentVersion: '2024.1', targetVersion: '2025.2' },
      category: 'feature',
      severity: 'major',
      criticalSecurity: false,
      installer: { location: 'https://downloads.abacus.example/erp/2025.2/setup.exe', sha256: 'a'.repeat(64) },
      licenceReferences: ['LIC-4711'],
      performer: { kind: 'provider' },
      desiredStart: new Date(now.getTime() + daysAhead * 86_400_000).toISOString(),
      timeZone: 'Europe/Zurich',
      expectedDurationMinutes: 120,
      targets: [{ name: `app-${randomUUID().slice(0, 6)}`, kind: 'application-server' }],
      clientUpdateIncluded: false,
      contacts: [{ name: 'Clara Kunde', email: 'clara@customer.test' }],
      releaseNotes: { summary: 'New: payroll export to Swissdec 5. Fixed: VAT rounding.', link: 'https://abacus.example/releases/2025.2' },
      submittedAt: now.toISOString(),
      ...overrides,
    };
  }

  submit(request: UpdateRequest): Promise<RequestHandle> {
    return this.env.client.workflow.start(managedUpdateWorkflow, {
      taskQueue: this.taskQueue,
      workflowId: updateRequestWorkflowId(request.requestId),
      args: [request],
      typedSearchAttributes: initialSearchAttributes(request),
    });
  }

  async state(handle: RequestHandle): Promise<UpdateRequestState> {
    return handle.query('getState') as Promise<UpdateRequestState>;
  }

  /** Polls the state (real time, a few seconds at most) until `check` accepts it. */
  async until(handle: RequestHandle, check: (s: UpdateRequestState) => boolean, what = 'condition'): Promise<UpdateRequestState> {
    let last: UpdateRequestState | undefined;
    return poll(async () => {
      last = await this.state(handle);
      return check(last) ? last : undefined;
    }, () => `${what}; status ${last?.status}`);
  }

  /** Polls a host workflow's state (real time, a few seconds at most) until `check` accepts it. */
  async untilHost(workflowId: string, check: (s: HostUpdateState) => boolean, what = 'host condition'): Promise<HostUpdateState> {
    let last: HostUpdateState | undefined;
    return poll(async () => {
      last = await this.env.client.workflow.getHandle(workflowId).query(getHostStateQuery);
      return check(last) ? last : undefined;
    }, () => `${what}; step ${last?.currentStep}, automated test ${last?.automatedTest?.status}`);
  }

  /** Polls `audit_events` (real time, a few seconds at most) until the request has a row with `action`. */
  untilAudited(requestId: string, action: string): Promise<{ actor: string; evidence: Record<string, unknown> }> {
    return poll(async () => {
      const [row] = await this.db.dataSource.query('SELECT actor, evidence FROM audit_events WHERE request_id = $1 AND action = $2', [requestId, action]);
      return row;
    }, () => `audit row ${action} of ${requestId}`);
  }

  untilStatus(handle: RequestHandle, status: UpdateStatus): Promise<UpdateRequestState> {
    return this.until(handle, (s) => s.status === status, `status ${status}`);
  }

  /** Advances the test server's clock by `ms` (time skipping, no real wait). */
  skip(ms: number): Promise<void> {
    return this.env.sleep(ms);
  }

  /** Skips to `instant` plus `byMs` (a minute), if that is still ahead. */
  async skipPast(instant: string, byMs = 60_000): Promise<void> {
    const left = Date.parse(instant) - (await this.env.currentTimeMs());
    if (left > -byMs) await this.skip(left + byMs);
  }

  /**
   * Sends an Update that must be refused; returns the validator's reason. A refused Update never
   * reaches history, which the caller can check with `historyMentions`.
   */
  async refusal<Input>(handle: WorkflowHandle, update: UpdateDefinition<unknown, [Input]>, input: Input): Promise<string> {
    try {
      await handle.executeUpdate(update, { args: [input] });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) return err.cause?.message ?? err.message;
      throw err;
    }
    throw new Error(`update ${update.name} was accepted but should have been refused`);
  }

  /** The first support-hours start (09:00 in Zurich on a working day) at or after `after`. */
  supportSlotAfter(after: Date, durationMinutes = 120): { start: string; durationMinutes: number } {
    const hours = new SupportHours(this.config.supportHours);
    let day = DateTime.fromJSDate(after).setZone('Europe/Zurich').startOf('day').set({ hour: 9 });
    for (;;) {
      const start = day.toJSDate();
      if (start >= after && hours.isWithin(start, new Date(start.getTime() + durationMinutes * 60_000))) {
        return { start: start.toISOString(), durationMinutes };
      }
      day = day.plus({ days: 1 });
    }
  }

  /** An evening slot (19:00 Zurich) on a working day at or after `after`: outside support hours. */
  eveningSlotAfter(after: Date): { start: string; durationMinutes: number } {
    const { start } = this.supportSlotAfter(after);
    return { start: DateTime.fromISO(start).setZone('Europe/Zurich').set({ hour: 19 }).toUTC().toISO()!, durationMinutes: 120 };
  }
}

/** Calls `probe` every 50 ms of real time until it returns a value; fails after 15 s naming `what`. */
async function poll<T>(probe: () => Promise<T | undefined>, what: () => string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How long a workflow's history is and which Updates it accepted (refused ones never appear). */
export async function historyFacts(handle: WorkflowHandle): Promise<{ events: number; acceptedUpdates: string[] }> {
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  return {
    events: events.length,
    acceptedUpdates: events
      .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter((name): name is string => !!name),
  };
}
