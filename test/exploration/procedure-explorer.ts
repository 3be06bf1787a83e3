import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import fc from 'fast-check';
import { SimulatedSessionProvider } from '../../activities/session-provider';
import { replayHistories } from '../../platform/audit/history-replayer';
import { historyJson } from '../../platform/audit/workflow-history';
import { loadConfig } from '../../platform/config';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle';
import {
  acceptSlotAsPartnerUpdate, acceptSlotUpdate, cancelRequestUpdate, confirmSnapshotsDeletedUpdate, confirmSnapshotsRestoredUpdate, confirmTechnicalTestUpdate, decideHostFailureUpdate,
  decideDowngradeUpdate, decideShortNoticeUpdate, extendRetentionUpdate, FINAL_STATUSES, getHostStateQuery, HOST_STEPS, PRE_CHECKS, proposeSlotUpdate,
  recordHostStepUpdate, recordPreCheckUpdate, recordSnapshotsUpdate, rejectUpdateUpdate, reportUserActivityUpdate,
  requestAnotherSlotUpdate, resolveRejectionUpdate, resolveUserActivityUpdate, signOffUpdate,
  type Actor, type PendingAction, type UpdateName, type UpdateRequest, type UpdateRequestState,
} from '../../workflows/update-request.contract';
import { touchedTargets } from '../../workflows/steps/targets';
import { customerOf, historyFacts, operator, auditor, UpdateHarness, type RequestHandle } from '../support/update-harness';

/**
 * A model-based exploration of the procedure: random sequences of every Update from every role with
 * valid and corrupted payloads, time skips to just before and after every deadline, and worker
 * restarts, driven against the real workflow on the time-skipping server. The model is deliberately
 * simple (which role may do what is read from the workflow's own declaration); the checks are the
 * invariants every state must keep.
 */

const MINUTE_MS = 60_000;
const UPDATES = {
  decideShortNotice: decideShortNoticeUpdate, decideDowngrade: decideDowngradeUpdate, proposeSlot: proposeSlotUpdate, acceptSlot: acceptSlotUpdate,
  requestAnotherSlot: requestAnotherSlotUpdate, acceptSlotAsPartner: acceptSlotAsPartnerUpdate, recordPreCheck: recordPreCheckUpdate, recordSnapshots: recordSnapshotsUpdate,
  reportUserActivity: reportUserActivityUpdate, resolveUserActivity: resolveUserActivityUpdate, recordHostStep: recordHostStepUpdate,
  decideHostFailure: decideHostFailureUpdate, confirmTechnicalTest: confirmTechnicalTestUpdate, confirmSnapshotsRestored: confirmSnapshotsRestoredUpdate,
  confirmSnapshotsDeleted: confirmSnapshotsDeletedUpdate, signOff: signOffUpdate, rejectUpdate: rejectUpdateUpdate,
  resolveRejection: resolveRejectionUpdate, extendRetention: extendRetentionUpdate, cancelRequest: cancelRequestUpdate,
} as const;
const UPDATE_NAMES = Object.keys(UPDATES) as UpdateName[];
type Who = 'customer' | 'operator' | 'auditor' | 'stranger';
const JUNK: unknown[] = [undefined, null, '', 'toString', 1e20, -1, [], {}, { nested: ['x'] }, '2027-01-12T10:00:00'];
/** How long an Update may take before the run counts as hung. */
const UPDATE_BOUND_MS = 20_000;

export interface Scenario {
  daysAhead: number;
  criticalSecurity: boolean;
  /** `host-checks`: a simulated session provider that checks hosts itself (the technical test runs and is confirmed). */
  providers: 'simulated' | 'host-checks' | 'manual';
  /** With the simulated session provider: users found active on the first checks. */
  activeUsers: number[];
}

/** The system under exploration: one request on its own test server and worker. */
export class ExploredRequest {
  private constructor(readonly h: UpdateHarness, readonly request: UpdateRequest, readonly handle: RequestHandle) {}
  readonly log: string[] = [];

  static async start(scenario: Scenario): Promise<ExploredRequest> {
    const counts: [number, ...number[]] = [scenario.activeUsers[0] ?? 0, ...scenario.activeUsers.slice(1), 0];
    const h = await UpdateHarness.start({
      restartsWorker: true,
      ...(scenario.providers === 'manual'
        ? { snapshotProvider: 'manual', sessionProvider: 'manual' }
        : { sessionProvider: SimulatedSessionProvider.sequence(counts, scenario.providers === 'host-checks') }),
    });
    const request = await h.request({
      criticalSecurity: scenario.criticalSecurity,
      category: scenario.criticalSecurity ? 'security' : 'maintenance',
      clientUpdateIncluded: true,
      targets: [{ name: 'app-x1', kind: 'application-server' }, { name: 'rds-x1', kind: 'client-host' }],
    }, scenario.daysAhead);
    return new ExploredRequest(h, request, await h.submit(request));
  }

  actor(who: Who): Actor {
    if (who === 'customer') return customerOf(this.request.customerId);
    if (who === 'stranger') return customerOf('another-tenant');
    return who === 'operator' ? operator : auditor;
  }

  /** Waits until no activity, child start or workflow task is pending and the state stands still. */
  async quiet(): Promise<{ state: UpdateRequestState; pending: PendingAction[]; now: number }> {
    const deadline = Date.now() + 15_000;
    let previous = -1;
    for (;;) {
      const busy = await this.h.busy(this.handle);
      const state = await this.h.state(this.handle);
      const hostsBusy = await Promise.all(this.runningHosts(state).map((host) => this.h.busy(host)));
      if (!busy && !hostsBusy.some(Boolean) && state.version === previous) {
        return { state, pending: await this.pendingOf(state), now: await this.h.env.currentTimeMs() };
      }
      if (Date.now() > deadline) throw new Error(`the request never settled (status ${state.status})`);
      previous = busy ? -1 : state.version;
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  private runningHosts(state: UpdateRequestState): WorkflowHandle[] {
    return state.hosts.filter((h) => h.status === 'running').map((h) => this.h.env.client.workflow.getHandle(h.workflowId));
  }

  /** The request's pending actions, each host's own ones in place of the pointer to it. */
  async pendingOf(state: UpdateRequestState): Promise<PendingAction[]> {
    const lists = await Promise.all(state.pendingActions.map(async (a) =>
      a.workflowId ? (await this.h.env.client.workflow.getHandle(a.workflowId).query(getHostStateQuery)).pendingActions : [a]));
    return lists.flat();
  }

  /** A payload the workflow accepts when `action` is pending (built from the current state). */
  validPayload(update: UpdateName, state: UpdateRequestState, pending: PendingAction[], now: number, variant = 0): Record<string, unknown> {
    const open = pending.find((a) => a.update === update);
    const pick = <T>(...choices: T[]): T => choices[variant % choices.length];
    const present = state.snapshots.filter((s) => s.status === 'present').map((s) => s.snapshotId);
    const undeleted = state.snapshots.filter((s) => s.status !== 'deleted').map((s) => s.snapshotId);
    switch (update) {
      case 'decideDowngrade': return { decision: pick('approve', 'refuse'), reason: 'explored' };
      case 'decideShortNotice': return { decision: pick(this.request.criticalSecurity ? 'expedite' : 'accept', 'decline', 'accept'), reason: 'explored' };
      case 'proposeSlot': {
        const earliest = state.leadTime?.guaranteed && !state.leadTime.decision ? Date.parse(state.leadTime.earliestGuaranteedStart) : now;
        return { ...this.h.supportSlotAfter(new Date(Math.max(earliest, now) + 2 * 86_400_000)), engineer: 'Erik' };
      }
      case 'acceptSlot': return state.slot && !state.slot.withinSupportHours
        ? { writtenConfirmation: { name: 'Clara', statement: 'we accept the surcharge', confirmedAt: new Date().toISOString() } } : {};
      case 'requestAnotherSlot': return { reason: 'explored' };
      // The explored requests are the provider's own: a partner's acceptance is never pending.
      case 'acceptSlotAsPartner': return { proposal: state.slot?.proposal ?? 1 };
      case 'recordPreCheck': return { check: open?.check ?? PRE_CHECKS[0], notes: 'ok', ...pick<object>({ passed: true }, { passed: true }, { passed: false, onFailure: 'reschedule' }, { passed: false, onFailure: 'cancel' }) };
      case 'recordSnapshots': return { snapshots: touchedTargets(this.request).map((t) => ({ target: t.name, snapshotId: `snap-${t.name}` })) };
      case 'reportUserActivity': return { activeUsers: pick(0, 2, 0), notes: 'counted' };
      case 'resolveUserActivity': return { decision: state.userActivity?.unreachable ? pick('postpone', 'recheck') : pick('postpone', 'proceed'), reason: 'explored' };
      case 'recordHostStep': {
        const step = open?.step ?? HOST_STEPS[0];
        const passed = pick(true, true, false);
        return {
          target: open?.target ?? 'app-x1', step, passed, notes: 'ok',
          ...(step === 'technical-test' ? { checklist: { applicationStarts: true, servicesRunning: true, eventLogClean: passed } } : {}),
        };
      }
      case 'decideHostFailure': return { target: open?.target ?? 'app-x1', decision: pick('rollback', 'retry', 'abort'), reason: 'explored' };
      case 'confirmTechnicalTest': return { target: open?.target ?? 'app-x1', ...pick<object>({}, { notes: 'looked fine' }) };
      case 'confirmSnapshotsRestored': return { snapshotIds: present, notes: 'restored' };
      case 'confirmSnapshotsDeleted': return { snapshotIds: undeleted, notes: 'deleted' };
      case 'signOff': return { notes: 'green' };
      case 'rejectUpdate': return { description: 'report fails' };
      case 'resolveRejection': return pick<Record<string, unknown>>({ decision: 'rollback', reason: 'explored' },
        { decision: 'fix', targets: [touchedTargets(this.request)[0].name], reason: 'explored' });
      case 'extendRetention': return { days: pick(2, 30), reason: 'explored' };
      case 'cancelRequest': return { reason: 'explored' };
    }
  }

  /**
   * Sends one Update and checks: it answers within the bound, with a receipt or a refusal with a
   * reason; a refusal leaves no trace; an accepted valid action was pending for that role, and a
   * pending one is accepted.
   */
  async act(update: UpdateName, who: Who, corrupt?: { field: number; junk: unknown }, variant = 0): Promise<void> {
    const { state, pending, now } = await this.quiet();
    if (FINAL_STATUSES.includes(state.status)) return;
    const actor = this.actor(who);
    const payload: Record<string, unknown> = this.validPayload(update, state, pending, now, variant);
    if (corrupt) {
      const fields = Object.keys(payload);
      if (fields.length > 0) payload[fields[corrupt.field % fields.length]] = corrupt.junk;
      else payload.actor = corrupt.junk;
    }
    const open = pending.filter((a) => a.update === update && (who === 'customer' || who === 'operator') && a.roles.includes(actor.role));
    const host = open.find((a) => a.workflowId) ?? pending.find((a) => a.update === update && a.workflowId);
    const target = host?.workflowId ? this.h.env.client.workflow.getHandle(host.workflowId) : this.handle;
    const before = await this.traces(target, state);
    const outcome = await this.send(target, update, { actor, ...payload });
    this.log.push(`${update} by ${who}${corrupt ? ` with ${JSON.stringify(payload)}` : ''}: ${outcome.accepted ? 'accepted' : `refused (${outcome.reason})`}`);
    if (!outcome.accepted) {
      assert.ok(outcome.reason.length > 0, 'a refusal states its reason');
      assert.deepEqual(await this.traces(target, await this.h.state(this.handle)), before, `the refused ${update} left a trace`);
    }
    if (!corrupt) {
      assert.equal(outcome.accepted, open.length > 0,
        `${update} by ${who} was ${outcome.accepted ? 'accepted' : `refused (${outcome.reason})`} while pending: ${JSON.stringify(pending.map((a) => [a.update, a.roles]))}`);
    } else if (outcome.accepted) {
      assert.ok(open.length > 0, `${update} by ${who} was accepted though not pending`);
    }
  }

  private async send(target: WorkflowHandle, update: UpdateName, input: unknown): Promise<{ accepted: true } | { accepted: false; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${update} hung for ${UPDATE_BOUND_MS} ms`)), UPDATE_BOUND_MS);
    });
    try {
      await Promise.race([target.executeUpdate(UPDATES[update] as never, { args: [input] as never }), hung]);
      return { accepted: true };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) return { accepted: false, reason: err.cause?.message ?? err.message };
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** What a refused action must not change: accepted Updates, the timeline, the audit table. */
  private async traces(target: WorkflowHandle, state: UpdateRequestState): Promise<unknown> {
    const [{ count }] = await this.h.db.dataSource.query('SELECT count(*)::int AS count FROM audit_events WHERE request_id = $1', [this.request.requestId]);
    return { accepted: (await historyFacts(target)).acceptedUpdates, timeline: state.timeline.length, audited: count };
  }

  /** Skips to one minute before or after the next deadline the request has, or by a fixed time. */
  /** Takes the `choice`-th pending action as its role would (moves the request through the procedure). */
  async progress(choice: number): Promise<void> {
    const { state, pending } = await this.quiet();
    if (FINAL_STATUSES.includes(state.status) || pending.length === 0) return;
    const action = pending[choice % pending.length];
    await this.act(action.update, action.roles[choice % action.roles.length] as Who, undefined, Math.floor(choice / pending.length));
  }

  async skip(to: 'before-deadline' | 'after-deadline' | number): Promise<void> {
    const { state } = await this.quiet();
    if (FINAL_STATUSES.includes(state.status)) return;
    const now = await this.h.env.currentTimeMs();
    if (typeof to === 'number') {
      this.log.push(`skip ${to / MINUTE_MS} min`);
      await this.h.skip(to);
      return;
    }
    const next = deadlines(state).filter((d) => d > now + 2 * MINUTE_MS).sort((a, b) => a - b)[0];
    if (next === undefined) return;
    const by = next - now + (to === 'before-deadline' ? -MINUTE_MS : MINUTE_MS);
    this.log.push(`skip to ${to} ${new Date(next).toISOString()}`);
    await this.h.skip(by);
  }

  async restartWorker(): Promise<void> {
    await this.quiet();
    this.log.push('restart worker');
    await this.h.stopWorker();
    await this.h.startWorker();
  }

  /** No workflow task of the request or its hosts ever failed. */
  async checkNoTaskFailed(): Promise<void> {
    for (const handle of await this.allHandles()) {
      const history = await handle.fetchHistory();
      const failed = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
      assert.equal(failed.length, 0, `${handle.workflowId} failed a workflow task`);
    }
  }

  /** Brings the request to a final status by the shortest legal path: cancel, else finish it. */
  async driveToEnd(): Promise<UpdateRequestState> {
    const preference: Array<[UpdateName, Who]> = [
      ['cancelRequest', 'operator'], ['confirmSnapshotsDeleted', 'operator'], ['confirmSnapshotsRestored', 'operator'],
      ['decideHostFailure', 'operator'], ['confirmTechnicalTest', 'operator'], ['recordHostStep', 'operator'], ['resolveRejection', 'operator'], ['signOff', 'customer'],
      ['reportUserActivity', 'operator'], ['recordSnapshots', 'operator'],
    ];
    for (let i = 0; i < 80; i++) {
      const { state, pending, now } = await this.quiet();
      if (FINAL_STATUSES.includes(state.status)) return state;
      const next = preference.find(([u, who]) => pending.some((a) => a.update === u && a.roles.includes(this.actor(who).role)));
      if (next) await this.act(...next);
      else await this.skip(deadlines(state).some((d) => d > now + 2 * MINUTE_MS) ? 'after-deadline' : 24 * 60 * MINUTE_MS);
    }
    throw new Error('the request did not reach a final status');
  }

  /** After the end: nothing held, nothing sent twice, and the histories replay on the current code. */
  async checkEnd(final: UpdateRequestState): Promise<void> {
    await this.handle.result();
    assert.ok(FINAL_STATUSES.includes(final.status));
    assert.deepEqual(final.snapshots.filter((s) => s.status === 'present'), [], 'no snapshot is left');
    const [{ count }] = await this.h.db.dataSource.query('SELECT count(*)::int AS count FROM slot_reservations WHERE request_id = $1', [this.request.requestId]);
    assert.equal(count, 0, 'no slot reservation remains');
    const ids = this.h.mailbox.messages.map((m) => m.messageId);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'no message was sent twice');
    await this.checkNoTaskFailed();
    const histories = await Promise.all((await this.allHandles()).map(async (handle) => {
      const history = await handle.fetchHistory();
      return { workflowId: handle.workflowId, runId: '', source: 'temporal' as const, json: historyJson(history) };
    }));
    const verdicts = await replayHistories(histories, { workflowBundlePath: WORKFLOW_BUNDLE_PATH, payloadKeys: loadConfig({}).payloadKeys, concurrency: 1 });
    assert.deepEqual(verdicts.filter((v) => !v.deterministic).map((v) => v.divergence), []);
  }

  private async allHandles(): Promise<WorkflowHandle[]> {
    const state = await this.h.state(this.handle);
    return [this.handle, ...state.hosts.map((h) => this.h.env.client.workflow.getHandle(h.workflowId))];
  }
}

/** Every moment at which the request's behaviour changes (decisions due, slot, cut-off, reminders, checks, sign-off, retention). */
function deadlines(state: UpdateRequestState): number[] {
  const policy = state.policy!;
  const at: Array<string | number | undefined> = [state.leadTime?.decideBy, state.retention?.deleteAfter, state.userActivity?.overrideAllowedAt];
  if (state.slot) {
    const start = Date.parse(state.slot.start);
    at.push(start, start - policy.rescheduleCutoffHours * 60 * MINUTE_MS);
    for (const c of Object.values(policy.communication)) c.remindMinutesBefore.forEach((m) => at.push(start - m * MINUTE_MS));
  }
  if (state.userActivity?.lastCheckAt) at.push(Date.parse(state.userActivity.lastCheckAt) + policy.userActivityRecheckMinutes * MINUTE_MS);
  if (state.signOff) {
    const asked = Date.parse(state.signOff.requestedAt);
    at.push(asked + policy.signOffEscalationHours * 3_600_000, asked + (state.signOff.remindersSent + 1) * policy.signOffReminderHours * 3_600_000);
  }
  return at.filter((d) => d !== undefined).map((d) => (typeof d === 'number' ? d : Date.parse(d)));
}

// ---------------------------------------------------------------------------------------------
// fast-check commands over the explored request (the model only counts what ran)

interface Model { commands: number }
type Command = fc.AsyncCommand<Model, ExploredRequest>;

/** One step of a sequence: what it does to the request, then the check that no workflow task failed. */
class Step implements Command {
  constructor(private readonly label: string, private readonly action: (real: ExploredRequest) => Promise<void>) {}
  check = () => true;
  async run(model: Model, real: ExploredRequest): Promise<void> {
    model.commands += 1;
    await this.action(real);
    await real.checkNoTaskFailed();
  }
  toString = () => this.label;
}

const act = (update: UpdateName, by: Who, corrupt?: { field: number; junk: unknown }) =>
  new Step(`act(${update}, ${by}${corrupt ? `, corrupt ${JSON.stringify(corrupt)}` : ''})`, (real) => real.act(update, by, corrupt));
const skip = (to: 'before-deadline' | 'after-deadline' | number) => new Step(`skip(${to})`, (real) => real.skip(to));

const who = fc.constantFrom<Who>('customer', 'operator', 'customer', 'operator', 'auditor', 'stranger');
export const commands = [
  // Taking what is pending is weighted up, so sequences reach the later steps too.
  ...[1, 2, 3].map(() => fc.nat(11).map((choice) => new Step(`progress(${choice})`, (real) => real.progress(choice)))),
  fc.tuple(fc.constantFrom(...UPDATE_NAMES), who).map(([u, w]) => act(u, w)),
  fc.tuple(fc.constantFrom(...UPDATE_NAMES), who, fc.nat(5), fc.constantFrom(...JUNK)).map(([u, w, field, junk]) => act(u, w, { field, junk })),
  fc.constantFrom<Command>(skip('before-deadline'), skip('after-deadline'), skip(15 * MINUTE_MS), skip(26 * 60 * MINUTE_MS)),
  fc.constant<Command>(new Step('restartWorker()', (real) => real.restartWorker())),
];

export const scenarios: fc.Arbitrary<Scenario> = fc.record({
  daysAhead: fc.constantFrom(3, 20),
  criticalSecurity: fc.boolean(),
  providers: fc.constantFrom<Scenario['providers']>('simulated', 'host-checks', 'manual'),
  activeUsers: fc.array(fc.nat(3), { maxLength: 3 }),
});

/** One explored sequence: random commands, then the shortest path to the end, then the end checks. */
export async function exploreOnce(scenario: Scenario, sequence: Iterable<Command>, stats: { sequences: number; commands: number }): Promise<void> {
  const real = await ExploredRequest.start(scenario);
  try {
    const model: Model = { commands: 0 };
    await fc.asyncModelRun(() => ({ model, real }), sequence);
    await real.checkEnd(await real.driveToEnd());
    stats.sequences += 1;
    stats.commands += model.commands;
  } catch (err) {
    (err as Error).message += `\n  scenario ${JSON.stringify(scenario)}\n  ran: ${real.log.join('\n       ')}`;
    throw err;
  } finally {
    await real.h.stop();
  }
}

export interface ExplorationOptions {
  runs: number;
  maxCommands: number;
  seed?: number;
  path?: string;
  /** Shrink a failure to its shortest command list (slow; off within CI's time budget). */
  shrink: boolean;
}

/** Runs the exploration; on a failure fast-check reports the seed, path and (shrunk) command list. */
export async function explore(options: ExplorationOptions): Promise<{ sequences: number; commands: number }> {
  const stats = { sequences: 0, commands: 0 };
  const property = fc.asyncProperty(scenarios, fc.commands(commands, { maxCommands: options.maxCommands, size: 'max' }),
    (scenario, sequence) => exploreOnce(scenario, sequence, stats));
  await fc.assert(property, {
    numRuns: options.runs,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.path ? { path: options.path } : {}),
    endOnFailure: !options.shrink,
    includeErrorInReport: true,
  });
  return stats;
}

/** The options a test file runs with: CI's bounded count, or a replay of a reported failure. */
export function explorationFromEnvironment(runs: number): ExplorationOptions {
  const seed = process.env.EXPLORE_SEED;
  return {
    runs: seed ? 1 : runs,
    maxCommands: 12,
    ...(seed ? { seed: Number(seed), path: process.env.EXPLORE_PATH } : {}),
    shrink: false,
  };
}
