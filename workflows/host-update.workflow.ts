import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { readModel } from './activity-profiles';
import { refuseUnless, requireActor, requireText } from './refusal';
import { Timeline } from './timeline';
import {
  decideHostFailureUpdate,
  getHostStateQuery,
  HOST_STEPS,
  recordHostStepUpdate,
  type DecideHostFailure,
  type HostUpdateInput,
  type HostUpdateResult,
  type HostUpdateState,
  type RecordHostStep,
} from './update-request.contract';

/**
 * Step 7 on one host: install, configure, technical test, each recorded by the operator with its
 * evidence. A failed step waits for the operator's choice: retry it, roll back, or abort. One
 * child workflow per host keeps the request's own history small however large the farm.
 */
export async function hostUpdateWorkflow(input: HostUpdateInput): Promise<HostUpdateResult> {
  const timeline = new Timeline(workflowInfo().workflowId);
  // The first step is set before any handler exists: an Update may arrive in the same activation
  // that starts this workflow, and its validator must already see which step is next.
  const state: HostUpdateState = { input, records: [], timeline: timeline.entries, awaitingFailureDecision: false, currentStep: HOST_STEPS[0] };
  const target = input.target.name;
  let decision: DecideHostFailure | undefined;
  const receipt = () => ({ target, currentStep: state.currentStep, awaitingFailureDecision: state.awaitingFailureDecision });
  // The request's audit trail gets each step as it is recorded, not only when the host finishes.
  let published = 0;
  const publish = async () => {
    const entries = timeline.entries.slice(published);
    if (entries.length === 0) return;
    await readModel.appendAuditEntries({ requestId: input.requestId, entries });
    published += entries.length;
  };
  const publishThenWait = async (done: () => boolean) => {
    await publish();
    await condition(done);
  };

  setHandler(getHostStateQuery, () => state);
  setHandler(recordHostStepUpdate, ({ actor, step, passed, notes, checklist }) => {
    const attempt = state.records.filter((r) => r.step === step).length + 1;
    state.records.push({ step, attempt, passed, notes, ...(checklist ? { checklist } : {}), by: actor.id, at: new Date().toISOString() });
    timeline.record(step, passed ? `${step}-passed` : `${step}-failed`, actor, { attempt, notes, ...(checklist ?? {}) }, target);
    state.awaitingFailureDecision = !passed;
    return receipt();
  }, { validator: (cmd: RecordHostStep) => validateStep(state, cmd) });
  setHandler(decideHostFailureUpdate, (cmd) => {
    decision = cmd;
    state.awaitingFailureDecision = false;
    timeline.record(state.currentStep!, `failure-${cmd.decision}`, cmd.actor, { reason: cmd.reason }, target);
    return receipt();
  }, { validator: (cmd: DecideHostFailure) => validateDecision(state, cmd) });

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
        await publish();
        return state.result;
      }
    }
  }
  state.currentStep = undefined;
  state.result = { outcome: 'succeeded', target, records: state.records, timeline: timeline.entries };
  await publish();
  return state.result;
}

function validateStep(state: HostUpdateState, { actor, target, step, passed, notes, checklist }: RecordHostStep): void {
  requireActor(actor, ['operator']);
  refuseUnless(target === state.input.target.name, `this workflow updates ${state.input.target.name}, not ${target}`);
  refuseUnless(!state.result, 'this host is finished');
  refuseUnless(!state.awaitingFailureDecision, `the ${state.currentStep} step failed: decide retry, rollback or abort first`);
  refuseUnless(step === state.currentStep, `the next step on ${target} is ${state.currentStep}, not ${step}`);
  refuseUnless(typeof passed === 'boolean', 'passed must be true or false');
  requireText(notes, 'notes');
  if (step === 'technical-test') {
    refuseUnless(checklist && [checklist.applicationStarts, checklist.servicesRunning, checklist.eventLogClean].every((v) => typeof v === 'boolean'),
      'the technical test needs its checklist: applicationStarts, servicesRunning, eventLogClean');
    const allGood = checklist.applicationStarts && checklist.servicesRunning && checklist.eventLogClean;
    refuseUnless(passed === allGood, passed
      ? 'the technical test cannot pass with an unchecked item on its checklist'
      : 'every checklist item is fine: a failed technical test must name the failing item');
  }
}

function validateDecision(state: HostUpdateState, { actor, target, decision, reason }: DecideHostFailure): void {
  requireActor(actor, ['operator']);
  refuseUnless(target === state.input.target.name, `this workflow updates ${state.input.target.name}, not ${target}`);
  refuseUnless(state.awaitingFailureDecision, 'no failed step is waiting for a decision');
  refuseUnless(['retry', 'rollback', 'abort'].includes(decision), 'decision must be retry, rollback or abort');
  requireText(reason, 'reason');
}
