import { allHandlersFinished, condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { hostChecks, readModel } from './activity-profiles';
import { deliver } from './delivery';
import { checkFailed, commandEvidence, unreachable } from './host-evidence';
import { refuseUnless, requireChoice, requireText } from './refusal';
import { Timeline } from './timeline';
import {
  CARRIED_OUT_BY,
  confirmTechnicalTestUpdate,
  decideHostFailureUpdate,
  getHostStateQuery,
  HOST_STEPS,
  recordHostStepUpdate,
  type CarriedOutBy,
  type CheckNotDone,
  type ConfirmTechnicalTest,
  type DecideHostFailure,
  type HostReceipt,
  type HostUpdateInput,
  type HostUpdateResult,
  type HostUpdateState,
  type RecordHostStep,
} from './update-request.contract';
import { openActions, requireDeclared, type DeclaredAction } from './waits';

const FAILURE_DECISIONS = ['retry', 'rollback', 'abort'] as const;

/** What the host waits for now: the next step, the confirmation of a passed automated test, or a decision. */
function hostActions(state: HostUpdateState): DeclaredAction[] {
  const target = state.input.target.name;
  const step = state.currentStep;
  if (state.result || !step) return [];
  const workflowId = workflowInfo().workflowId;
  const who = state.input.performedByPartner ? ' (carried out by the engineer, or by the partner with the engineer)' : '';
  const recordStep: DeclaredAction = {
    update: 'recordHostStep', roles: ['operator'], workflowId, target, step, description: `record the ${step} step on ${target}${who}`,
  };
  const decide: DeclaredAction = {
    update: 'decideHostFailure', roles: ['operator'], workflowId, target, step,
    description: `the ${step} step on ${target} failed: retry it, roll back or abort`,
  };
  const confirm: DeclaredAction = {
    update: 'confirmTechnicalTest', roles: ['operator'], workflowId, target, step,
    description: `the automated technical test on ${target} passed: confirm it (notes optional)`,
  };
  const nothingToConfirm = { ...confirm, refusal: `no automated technical test on ${target} is waiting for confirmation` };
  const test = state.automatedTest;
  if (test?.status === 'running') {
    const busy = `the technical test is running on ${target}: wait for its result`;
    return [{ ...recordStep, refusal: busy }, { ...decide, refusal: busy }, { ...nothingToConfirm, refusal: busy }];
  }
  if (test?.status === 'passed') {
    const confirmFirst = `the automated technical test on ${target} passed: confirm it`;
    return [confirm, { ...recordStep, refusal: confirmFirst }, { ...decide, refusal: 'no failed step is waiting for a decision' }];
  }
  if (test?.status === 'not-done') {
    // Nobody could look at the host: check again, test it by hand (as without a session provider), or give up.
    return [
      { ...decide, description: `the technical test could not check ${target} (${test.error}): retry the check, roll back or abort` },
      { ...recordStep, description: `or test ${target} by hand and record the technical test` },
      nothingToConfirm,
    ];
  }
  return state.awaitingFailureDecision
    ? [decide, { ...recordStep, refusal: `the ${step} step failed: decide retry, rollback or abort first` }, nothingToConfirm]
    : [recordStep, { ...decide, refusal: 'no failed step is waiting for a decision' }, nothingToConfirm];
}

/**
 * Step 7 on one host: install, configure, technical test, each recorded by the operator with its
 * evidence. Where the session provider can run it (SSH), the technical test runs on the host
 * instead, and the engineer confirms a pass. A failed step waits for the operator's choice: retry
 * it, roll back, or abort. One child workflow per host keeps the request's own history small
 * however large the farm.
 */
export async function hostUpdateWorkflow(input: HostUpdateInput): Promise<HostUpdateResult> {
  const timeline = new Timeline(workflowInfo().workflowId);
  // The first step is set before any handler exists: an Update may arrive in the same activation
  // that starts this workflow, and its validator must already see which step is next.
  const state: HostUpdateState = {
    input, records: [], timeline: timeline.entries, awaitingFailureDecision: false, currentStep: HOST_STEPS[0], pendingActions: [],
  };
  const target = input.target.name;
  // Errors logged on the host from here on fail the automated technical test.
  const installBegan = new Date().toISOString();
  let decision: DecideHostFailure | undefined;
  const deliveries: Promise<void>[] = [];
  /** How often the provider ran the technical test here: each run that cannot check the host is its own message. */
  let testRuns = 0;
  // Receipts answer once the host has moved on to its next wait, so they name the step now expected
  // (hosts started before that answered at once).
  let moves = 0;
  const act = (effect: () => void): HostReceipt | Promise<HostReceipt> => {
    const seen = moves;
    const afterMove = patched('receipts-after-move');
    effect();
    const answer = (): HostReceipt => ({
      target, currentStep: state.currentStep, awaitingFailureDecision: state.awaitingFailureDecision, pendingActions: openActions(hostActions(state)),
    });
    return afterMove ? condition(() => moves !== seen).then(answer) : answer();
  };
  // The request's audit trail gets each step as it is recorded, not only when the host finishes.
  // Hosts started before that (no marker in their history) report only their final timeline.
  let published = 0;
  const publish = async () => {
    const entries = timeline.entries.slice(published);
    if (entries.length === 0 || !patched('host-steps-audited')) return;
    await readModel.appendAuditEntries({ requestId: input.requestId, entries });
    published += entries.length;
  };
  const publishThenWait = async (done: () => boolean) => {
    await publish();
    moves += 1;
    await condition(done);
  };
  const require = (update: 'recordHostStep' | 'decideHostFailure' | 'confirmTechnicalTest', cmd: RecordHostStep | DecideHostFailure | ConfirmTechnicalTest) => {
    requireDeclared(hostActions(state), update, cmd.actor, '', state.result ? `${target} is finished` : `on ${target}`);
    refuseUnless(cmd.target === target, `this workflow updates ${target}, not ${cmd.target}`);
  };

  setHandler(getHostStateQuery, () => ({ ...state, pendingActions: openActions(hostActions(state)) }));
  setHandler(recordHostStepUpdate, ({ actor, step, passed, notes, checklist, carriedOutBy = 'engineer' }) => act(() => {
    const attempt = state.records.filter((r) => r.step === step).length + 1;
    state.records.push({ step, attempt, passed, notes, ...(checklist ? { checklist } : {}), carriedOutBy, by: actor.id, at: new Date().toISOString() });
    timeline.record(step, passed ? `${step}-passed` : `${step}-failed`, actor, { attempt, notes, ...(checklist ?? {}), carriedOutBy }, target);
    state.awaitingFailureDecision = !passed;
  }), {
    validator: (cmd: RecordHostStep) => {
      require('recordHostStep', cmd);
      validateStep(state, cmd);
      validateCarriedOutBy(input, cmd.carriedOutBy);
    },
  });
  setHandler(confirmTechnicalTestUpdate, ({ actor, notes, carriedOutBy = 'engineer' }) => act(() => {
    const attempt = state.records.filter((r) => r.step === 'technical-test').length + 1;
    const confirmed = notes?.trim() ? notes : 'automated technical test passed';
    state.records.push({ step: 'technical-test', attempt, passed: true, notes: confirmed, carriedOutBy, by: actor.id, at: new Date().toISOString() });
    timeline.record('technical-test', 'technical-test-confirmed', actor, { attempt, ...(notes?.trim() ? { notes } : {}), carriedOutBy }, target);
    state.automatedTest = undefined;
  }), {
    validator: (cmd: ConfirmTechnicalTest) => {
      require('confirmTechnicalTest', cmd);
      refuseUnless(cmd.notes === undefined || typeof cmd.notes === 'string', 'notes must be text');
      if (cmd.notes !== undefined && cmd.notes.trim() !== '') requireText(cmd.notes, 'notes');
      validateCarriedOutBy(input, cmd.carriedOutBy);
    },
  });
  setHandler(decideHostFailureUpdate, (cmd) => act(() => {
    decision = cmd;
    state.awaitingFailureDecision = false;
    timeline.record(state.currentStep!, `failure-${cmd.decision}`, cmd.actor, { reason: cmd.reason }, target);
  }), {
    validator: (cmd: DecideHostFailure) => {
      require('decideHostFailure', cmd);
      requireChoice(cmd.decision, FAILURE_DECISIONS, 'decision');
      requireText(cmd.reason, 'reason');
    },
  });

  for (const step of HOST_STEPS) {
    state.currentStep = step;
    // Runs recorded before the provider ran the test keep the operator's checklist.
    const automated = step === 'technical-test' && input.automatedTechnicalTest === true && patched('technical-test-automated');
    for (;;) {
      if (await (automated ? testOnHost() : recordedByOperator())) break;
      if (decision === undefined) await publishThenWait(() => decision !== undefined);
      const chosen = decision!;
      decision = undefined;
      if (chosen.decision !== 'retry') {
        state.result = { outcome: chosen.decision, target, failedStep: step, reason: chosen.reason, records: state.records, timeline: timeline.entries };
        return finish(state.result);
      }
    }
  }
  state.currentStep = undefined;
  state.result = { outcome: 'succeeded', target, records: state.records, timeline: timeline.entries };
  return finish(state.result);

  /** The operator records the current step; true when it passed. */
  async function recordedByOperator(): Promise<boolean> {
    const before = state.records.length;
    await publishThenWait(() => state.records.length > before);
    return state.records[state.records.length - 1].passed;
  }

  /**
   * The session provider runs the technical test; its commands are the evidence. A pass waits for
   * the engineer's confirmation (true); a failure goes to the failure decision (false). A host
   * nobody could check waits for the engineer: retry the check, roll back or abort (false, with
   * the decision taken), or record the test by hand (its result).
   */
  async function testOnHost(): Promise<boolean> {
    state.automatedTest = { status: 'running' };
    testRuns += 1;
    await publish();
    moves += 1;
    const attempt = state.records.filter((r) => r.step === 'technical-test').length + 1;
    let notDone: CheckNotDone | undefined;
    try {
      const report = await hostChecks.runTechnicalTest({ requestId: input.requestId, target, softwareName: input.software.name, since: installBegan });
      if (report.outcome === 'unreachable') {
        notDone = unreachable(report);
        timeline.record('technical-test', 'host-unreachable', 'system', { attempt, error: report.error, attempts: report.attempts, ...commandEvidence(report.evidence) }, target);
      } else if (report.outcome === 'failed') {
        const notes = `automated technical test failed: ${report.failedChecks.join(', ')}`;
        state.records.push({ step: 'technical-test', attempt, passed: false, notes, by: 'system', at: new Date().toISOString() });
        timeline.record('technical-test', 'technical-test-failed', 'system', { attempt, failedChecks: report.failedChecks, ...commandEvidence(report.evidence) }, target);
        state.automatedTest = undefined;
        state.awaitingFailureDecision = true;
        return false;
      } else {
        timeline.record('technical-test', 'technical-test-passed', 'system', { attempt, ...commandEvidence(report.evidence) }, target);
        state.automatedTest = { status: 'passed' };
        await publishThenWait(() => state.automatedTest === undefined);
        return true;
      }
    } catch (err) {
      notDone = checkFailed(err, target);
      timeline.record('technical-test', 'check-failed', 'system', { attempt, error: notDone.error }, target);
    }
    state.automatedTest = { status: 'not-done', ...notDone };
    state.awaitingFailureDecision = true;
    tellOperations(notDone);
    const before = state.records.length;
    await publishThenWait(() => decision !== undefined || state.records.length > before);
    state.automatedTest = undefined;
    return decision === undefined && state.records[state.records.length - 1].passed;
  }

  /** Mails operations that the host could not be checked, without holding up the wait for the engineer. */
  function tellOperations({ error }: CheckNotDone): void {
    const subject = input.notificationSubject;
    if (!subject) return;
    const occurrence = `${target}-round-${input.round}-technical-test-${testRuns}`;
    deliveries.push(deliver({ kind: 'host-unreachable', audience: 'operations', subject, occurrence, details: { step: 'technical test', target, error } },
      (reason) => timeline.record('technical-test', 'message-undeliverable', 'system', { kind: 'host-unreachable', occurrence, reason }, target)));
  }

  async function finish(result: HostUpdateResult): Promise<HostUpdateResult> {
    await Promise.all(deliveries);
    await publish();
    moves += 1;
    await condition(allHandlersFinished);
    return result;
  }
}

/**
 * Where a partner performs the update, each step says whether the engineer carried it out or the
 * partner did with the engineer beside them; where the provider performs it, only its engineer can
 * have (the default, so payloads from before the field stay valid).
 */
function validateCarriedOutBy(input: HostUpdateInput, carriedOutBy: CarriedOutBy | undefined): void {
  if (input.performedByPartner) {
    refuseUnless(carriedOutBy !== undefined, 'a partner performs this update: carriedOutBy must say who carried the step out (engineer or partner-with-engineer)');
    requireChoice(carriedOutBy, CARRIED_OUT_BY, 'carriedOutBy');
    return;
  }
  refuseUnless(carriedOutBy === undefined || carriedOutBy === 'engineer', "no partner performs this update: carriedOutBy can only be 'engineer'");
}

function validateStep(state: HostUpdateState, { step, passed, notes, checklist }: RecordHostStep): void {
  refuseUnless(step === state.currentStep, `the next step on ${state.input.target.name} is ${state.currentStep}, not ${step}`);
  refuseUnless(typeof passed === 'boolean', 'passed must be true or false');
  requireText(notes, 'notes');
  if (step === 'technical-test') {
    refuseUnless(checklist && typeof checklist === 'object'
      && [checklist.applicationStarts, checklist.servicesRunning, checklist.eventLogClean].every((v) => typeof v === 'boolean'),
      'the technical test needs its checklist: applicationStarts, servicesRunning, eventLogClean');
    const allGood = checklist.applicationStarts && checklist.servicesRunning && checklist.eventLogClean;
    refuseUnless(passed === allGood, passed
      ? 'the technical test cannot pass with an unchecked item on its checklist'
      : 'every checklist item is fine: a failed technical test must name the failing item');
  }
}
