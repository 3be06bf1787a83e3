import path from 'node:path';
import { SimulatedSessionProvider } from '../../activities/session-provider';
import { projectRoot } from '../../platform/project-root';
import {
  acceptSlotAsPartnerUpdate, acceptSlotUpdate, cancelRequestUpdate, confirmTechnicalTestUpdate, decideDowngradeUpdate, decideHostFailureUpdate,
  proposeSlotUpdate, signOffUpdate, type Performer,
} from '../../workflows/update-request.contract';
import { customerOf, operator, type HarnessOptions, type UpdateHarness } from '../support/update-harness';
import { completeAllHosts, passPreChecks, recordStep, submitAndReachSlot } from '../workflows/request-driver';

/** Where the recorded histories live in the source tree: one folder per lifecycle. */
export const RECORDED_HISTORIES_DIR = path.join(projectRoot(), 'test', 'histories');

/**
 * The completed lifecycles whose histories guard determinism. Each runs one request to its end on
 * the harness and returns its request id. Kept short: the time-skipping server loses a Workflow
 * Update now and then, and every extra Update is another chance of that.
 */
export const LIFECYCLES: Record<string, (h: UpdateHarness) => Promise<string>> = {
  async 'happy-path'(h) {
    const request = await h.request();
    const { handle } = await submitAndReachSlot(h, request);
    await completeAllHosts(h, handle, 1);
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: customerOf(request.customerId), notes: 'all functional tests green' }] });
    await handle.result();
    return request.requestId;
  },

  /** A declared downgrade the operator refuses: the request is declined before scheduling. */
  async 'downgrade-refused'(h) {
    const request = await h.request({
      software: { name: 'Abacus ERP', vendor: 'Abacus', currentVersion: '2025.2', targetVersion: '2024.1' },
      downgrade: { reason: '2025.2 breaks the payroll export' },
    });
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'downgrade-review');
    await handle.executeUpdate(decideDowngradeUpdate, { args: [{ actor: operator, decision: 'refuse', reason: 'vendor advises against it' }] });
    await handle.result();
    return request.requestId;
  },

  async rollback(h) {
    const request = await h.request();
    const { handle } = await submitAndReachSlot(h, request);
    const { hosts: [host] } = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    await recordStep(h, host.workflowId, host.target, 'install', false);
    await h.env.client.workflow.getHandle(host.workflowId).executeUpdate(decideHostFailureUpdate, {
      args: [{ actor: operator, target: host.target, decision: 'rollback', reason: 'installer failed twice' }],
    });
    await handle.result();
    return request.requestId;
  },

  async farm(h) {
    const request = await h.request({
      clientUpdateIncluded: true,
      targets: [{ name: 'app-farm', kind: 'application-server' }, { name: 'rds-farm-1', kind: 'client-host' }, { name: 'rds-farm-2', kind: 'client-host' }],
    });
    const { handle } = await submitAndReachSlot(h, request);
    await completeAllHosts(h, handle, 3);
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    await handle.result();
    return request.requestId;
  },

  async 'cancel-in-review'(h) {
    const request = await h.request({}, 3);
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'lead-time-review');
    await handle.executeUpdate(cancelRequestUpdate, { args: [{ actor: customerOf(request.customerId), reason: 'done another way' }] });
    await handle.result();
    return request.requestId;
  },

  /** A session provider that checks hosts itself: the technical test runs automatically and is confirmed. */
  async 'host-checks'(h) {
    const request = await h.request();
    const { handle } = await submitAndReachSlot(h, request);
    const { hosts: [host] } = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    await recordStep(h, host.workflowId, host.target, 'install');
    await recordStep(h, host.workflowId, host.target, 'configure');
    await h.untilHost(host.workflowId, (s) => s.automatedTest?.status === 'passed', 'the automated technical test');
    await h.env.client.workflow.getHandle(host.workflowId).executeUpdate(confirmTechnicalTestUpdate, {
      args: [{ actor: operator, target: host.target, notes: 'evidence reviewed' }],
    });
    await h.untilStatus(handle, 'functional-testing');
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    await handle.result();
    return request.requestId;
  },

  /** A partner performs the update: it accepts the slot besides the customer, and its host steps say who carried them out. */
  async partner(h) {
    const performer: Performer = { kind: 'partner', partnerContact: { name: 'Paula Partner', email: 'paula@partner.test' } };
    const request = await h.request({ performer });
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    const slot = h.supportSlotAfter(new Date(Date.parse(request.submittedAt) + 15 * 86_400_000));
    await handle.executeUpdate(proposeSlotUpdate, { args: [{ actor: operator, ...slot, engineer: 'Erik Engineer', performer }] });
    await handle.executeUpdate(acceptSlotUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    await handle.executeUpdate(acceptSlotAsPartnerUpdate, { args: [{ actor: { id: 'paula@partner.test', role: 'partner' }, proposal: 1 }] });
    const { slot: agreed } = await passPreChecks(h, handle);
    await h.skipPast(agreed!.start);
    const { hosts: [host] } = await h.until(handle, (s) => s.hosts.length === 1, 'installation');
    await recordStep(h, host.workflowId, host.target, 'install', true, 'partner-with-engineer');
    await recordStep(h, host.workflowId, host.target, 'configure', true, 'partner-with-engineer');
    await recordStep(h, host.workflowId, host.target, 'technical-test', true, 'engineer');
    await h.untilStatus(handle, 'functional-testing');
    await handle.executeUpdate(signOffUpdate, { args: [{ actor: customerOf(request.customerId) }] });
    await handle.result();
    return request.requestId;
  },

  async cancel(h) {
    const request = await h.request();
    const handle = await h.submit(request);
    await h.untilStatus(handle, 'scheduling');
    await handle.executeUpdate(cancelRequestUpdate, { args: [{ actor: customerOf(request.customerId), reason: 'budget frozen' }] });
    await handle.result();
    return request.requestId;
  },
};

/** The harness a lifecycle needs when the default one (simulated providers, operators test by hand) does not fit. */
export const LIFECYCLE_HARNESS: Partial<Record<string, HarnessOptions>> = {
  'host-checks': { sessionProvider: new SimulatedSessionProvider(() => 0, true) },
};
