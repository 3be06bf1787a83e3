import {
  acceptSlotUpdate,
  HOST_STEPS,
  PRE_CHECKS,
  proposeSlotUpdate,
  recordHostStepUpdate,
  recordPreCheckUpdate,
  type CarriedOutBy,
  type HostStep,
  type UpdateRequest,
  type UpdateRequestState,
} from '../../workflows/update-request.contract';
import { customerOf, operator, type RequestHandle, type UpdateHarness } from '../support/update-harness';

/** Steps an operator and a customer take, shared by the workflow tests so each reads as its story. */

const GOOD_CHECKLIST = { applicationStarts: true, servicesRunning: true, eventLogClean: true };

/** Records one host step on the host's child workflow. */
export async function recordStep(
  h: UpdateHarness, workflowId: string, target: string, step: HostStep, passed = true, carriedOutBy?: CarriedOutBy,
): Promise<void> {
  const checklist = step === 'technical-test' ? (passed ? GOOD_CHECKLIST : { ...GOOD_CHECKLIST, eventLogClean: false }) : undefined;
  await h.env.client.workflow.getHandle(workflowId).executeUpdate(recordHostStepUpdate, {
    args: [{
      actor: operator, target, step, passed, notes: `${step} on ${target}: ${passed ? 'ok' : 'errors'}`,
      ...(checklist ? { checklist } : {}), ...(carriedOutBy ? { carriedOutBy } : {}),
    }],
  });
}

/** Install, configure and technical test on one host, all passing. */
export async function completeHost(h: UpdateHarness, workflowId: string, target: string): Promise<void> {
  for (const step of HOST_STEPS) await recordStep(h, workflowId, target, step);
}

/** A support-hours slot 15 days after submission, proposed by the operator and accepted by the customer. */
export async function agreeSlot(h: UpdateHarness, handle: RequestHandle, request: UpdateRequest): Promise<UpdateRequestState> {
  await h.untilStatus(handle, 'scheduling');
  const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 15 * 86_400_000));
  await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...slot, engineer: 'Erik Engineer' }] });
  await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] });
  return h.untilStatus(handle, 'pre-checks');
}

/** All three pre-checks pass; the request then waits for its slot. */
export async function passPreChecks(h: UpdateHarness, handle: RequestHandle): Promise<UpdateRequestState> {
  for (const check of PRE_CHECKS) {
    await handle.executeUpdate(recordPreCheckUpdate, { args: [{ actor: operator, check, passed: true, notes: `${check} ok` }] });
  }
  return h.untilStatus(handle, 'waiting-for-slot');
}

/**
 * Submits a request and brings it to `pastStartMs` after its slot starts. Time skips only while no
 * activity runs: with one held open at the start (a gated snapshot), the rest passes in real time.
 */
export async function submitAndReachSlot(
  h: UpdateHarness, request: UpdateRequest, pastStartMs?: number,
): Promise<{ handle: RequestHandle; state: UpdateRequestState }> {
  const handle = await h.submit(request);
  await agreeSlot(h, handle, request);
  const state = await passPreChecks(h, handle);
  await h.skipPast(state.slot!.start, pastStartMs);
  return { handle, state };
}

/** Works through every host the request installs on, in the order the workflow starts them. */
export async function completeAllHosts(h: UpdateHarness, handle: RequestHandle, count: number): Promise<UpdateRequestState> {
  for (let i = 0; i < count; i++) {
    const state = await h.until(handle, (s) => s.hosts.length > i && s.hosts[i].status === 'running', `host ${i + 1} to start`);
    await completeHost(h, state.hosts[i].workflowId, state.hosts[i].target);
  }
  return h.untilStatus(handle, 'functional-testing');
}
