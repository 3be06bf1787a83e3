import { allHandlersFinished, condition, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { readModel } from './activity-profiles';
import { refuseUnless, requireChoice, requireText } from './refusal';
import { Timeline } from './timeline';
import {
  decideHostFailureUpdate,
  getHostStateQuery,
  HOST_STEPS,
  recordHostStepUpdate,
  type DecideHostFailure,
  type HostReceipt,
  type HostUpdateInput,
  type HostUpdateResult,
  type HostUpdateState,
  type RecordHostStep,
} from './update-request.contract';
import { openActions, requireDeclared, type DeclaredAction } from './waits';

const FAILURE_DECISIONS = ['retry', 'rollback', 'abort'] as const;

/** What the host waits for now: the next step, or the decision on a failed one. */
function hostActions(state: HostUpdateState): DeclaredAction[] {
  const target = state.input.target.name;
  const step = state.currentStep;
  if (state.result || !step) return [];
  const recordStep: DeclaredAction = {
    update: 'recordHostStep', roles: ['operator'], workflowId: workflowInfo().workflowId, target, step,
    description: `record the ${step} step on ${target}`,
  };
  const decide: DeclaredAction = {
    update: 'decideHostFailure', roles: ['operator'], workflowId: workflowInfo().workflowId, target, step,
    description: `the ${step} step on ${target} failed: retry it, roll back or abort`,
  };
  return state.awaitingFailureDecision
    ? [decide, { ...recordStep, refusal: `the ${step} step failed: decide retry, rollback or abort first` }]
    : [recordStep, { ...decide, refusal: 'no failed step is waiting for a decision' }];
}

/**
 * Step 7 on one host: install, configure, technical test, each recorded by the operator with its
 * evidence. A failed step waits for the operator's choice: retry it, roll back, or abort. One
 * child workflow per host keeps the request's own history small however large the farm.
 */
export async function hostUpdateWorkflow(input: HostUpdateInput): Promise<HostUpdateResult> {
  const timeline = new Timeline(workflowInfo().workflowId);
  // The first step is set before any handler exists: an Update may arrive in the same activation
  // that starts this workflow, and its validator must already see which step is next.
  const state: HostUpdateState = {
    input, records: [], timeline: timeline.entries, awaitingFailureDecision: false, currentStep: HOST_STEPS[0], pendingActions: [],
  };
  const target = input.target.name;
  let decision: DecideHostFailure | undefined;
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
  const require = (update: 'recordHostStep' | 'decideHostFailure', cmd: RecordHostStep | DecideHostFailure) => {
    requireDeclared(hostActions(state), update, cmd.actor, '', state.result ? `${target} is finished` : `on ${target}`);
    refuseUnless(cmd.target === target, `this workflow updates ${target}, not ${cmd.target}`);
  };

  setHandler(getHostStateQuery, () => ({ ...state, pendingActions: openActions(hostActions(state)) }));
  setHandler(recordHostStepUpdate, ({ actor, step, passed, notes, checklist }) => act(() => {
    const attempt = state.records.filter((r) => r.step === step).length + 1;
    state.records.push({ step, attempt, passed, notes, ...(checklist ? { checklist } : {}), by: actor.id, at: new Date().toISOString() });
    timeline.record(step, passed ? `${step}-passed` : `${step}-failed`, actor, { attempt, notes, ...(checklist ?? {}) }, target);
    state.awaitingFailureDecision = !passed;
  }), {
    validator: (cmd: RecordHostStep) => {
      require('recordHostStep', cmd);
      validateStep(state, cmd);
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
    for (;;) {
      const before = state.records.length;
      await publishThenWait(() => state.records.length > before);
      if (state.records[state.records.length - 1].passed) break;
      await publishThenWait(() => decision !== undefined);
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

  async function finish(result: HostUpdateResult): Promise<HostUpdateResult> {
    await publish();
    moves += 1;
    await condition(allHandlersFinished);
    return result;
  }
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
