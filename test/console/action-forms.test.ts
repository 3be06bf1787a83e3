import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionForms, type ActionContext } from '../../api/console/action-forms';
import type { PendingAction, SlotState, UpdateName } from '../../workflows/update-request.contract';

const context = (overrides: Partial<ActionContext> = {}): ActionContext =>
  ({ preChecksDone: [], snapshots: [], targets: ['erp-01'], hosts: new Map(), ...overrides });
const action = (update: string, roles: PendingAction['roles'], extra: Partial<PendingAction> = {}): PendingAction =>
  ({ update: update as UpdateName, roles, description: `do ${update}`, ...extra });
const offHours = { withinSupportHours: false, status: 'proposed' } as SlotState;

describe('Console action forms, from the pending actions the workflow declares', () => {
  it("offers only the viewer's role its forms, each posting to the Update's API route", () => {
    const pending = [action('acceptSlot', ['customer']), action('requestAnotherSlot', ['customer']), action('proposeSlot', ['operator'])];
    assert.deepEqual(actionForms(pending, 'customer', context()).map((f) => [f.id, f.route]),
      [['form-acceptSlot', 'slot-acceptance'], ['form-requestAnotherSlot', 'slot-change-requests']]);
    assert.deepEqual(actionForms(pending, 'operator', context()).map((f) => f.route), ['slot-proposals']);
    assert.deepEqual(actionForms(pending, 'auditor', context()), []);
  });

  it('shows an Update it has no form for by its description only', () => {
    const [form] = actionForms([action('approveBudget', ['operator'])], 'operator', context());
    assert.deepEqual([form.route, form.fields, form.descriptions], [undefined, [], ['do approveBudget']]);
  });

  it('asks for written confirmation of an off-hours slot, and for nothing within support hours', () => {
    const fields = (slot?: SlotState) => actionForms([action('acceptSlot', ['customer'])], 'customer', context({ slot }))[0].fields.map((f) => f.name);
    assert.deepEqual(fields(offHours), ['writtenConfirmation.name', 'writtenConfirmation.statement', 'writtenConfirmation.confirmedAt']);
    assert.deepEqual(fields({ ...offHours, withinSupportHours: true }), []);
  });

  it('joins the pre-checks into one form offering the checks still open', () => {
    const pending = ['compatibility', 'prerequisites'].map((c) => action('recordPreCheck', ['operator'], { description: `record the ${c} pre-check` }));
    const forms = actionForms(pending, 'operator', context({ preChecksDone: ['system-requirements'] }));
    assert.equal(forms.length, 1);
    assert.deepEqual(forms[0].descriptions, ['record the compatibility pre-check', 'record the prerequisites pre-check']);
    assert.deepEqual(forms[0].fields.find((f) => f.name === 'check')?.options?.map((o) => o.value), ['compatibility', 'prerequisites']);
  });

  it("shapes a host's form by its own state: the step it expects (with the checklist for the technical test) or its failure decision", () => {
    const pending = [action('recordHostStep', ['operator'], { target: 'erp-01' }), action('decideHostFailure', ['operator'], { target: 'erp-01' })];
    const form = (hosts: ActionContext['hosts']) => actionForms(pending, 'operator', context({ hosts }));
    const testing = form(new Map([['erp-01', { currentStep: 'technical-test', awaitingFailureDecision: false }]]));
    assert.equal(testing.length, 1);
    assert.equal(testing[0].route, 'hosts/erp-01/steps');
    assert.deepEqual(testing[0].fields.map((f) => `${f.name}=${f.value ?? ''}`),
      ['step=technical-test', 'passed=', 'notes=', 'checklist.applicationStarts=', 'checklist.servicesRunning=', 'checklist.eventLogClean=']);
    const failed = form(new Map([['erp-01', { currentStep: 'install', awaitingFailureDecision: true }]]));
    assert.deepEqual(failed.map((f) => [f.route, f.fields.map((x) => x.name)]), [['hosts/erp-01/failure-decision', ['decision', 'reason']]]);
    // Without the host's state (its workflow did not answer) the form is left out, not guessed.
    assert.equal(form(new Map())[0].route, undefined);
  });

  it("offers the confirmation of a passed automated technical test, nothing while it runs, and the decision when it could not check the host", () => {
    // What the host declares in each state (the API lists the host's own actions).
    const declared = { running: [], passed: ['confirmTechnicalTest'], 'not-done': ['decideHostFailure', 'recordHostStep'] } as const;
    const form = (automatedTest: keyof typeof declared, awaitingFailureDecision = false) => actionForms(
      declared[automatedTest].map((update) => action(update, ['operator'], { target: 'erp-01' })), 'operator',
      context({ hosts: new Map([['erp-01', { currentStep: 'technical-test', awaitingFailureDecision, automatedTest }]]) }))[0];
    const passed = form('passed');
    assert.deepEqual([passed.route, passed.submitLabel, passed.fields.map((f) => [f.name, f.required ?? false])],
      ['hosts/erp-01/technical-test-confirmation', 'Confirm technical test', [['notes', false]]]);
    assert.equal(form('running'), undefined, 'nothing to do while the test runs');
    assert.deepEqual(form('not-done', true).fields.find((f) => f.name === 'decision')?.options?.map((o) => o.value), ['retry', 'rollback', 'abort']);
  });

  it('offers to check an unreachable host again, or postpone, instead of proceeding', () => {
    const decisions = (userActivityUnreachable: boolean) => actionForms([action('resolveUserActivity', ['operator'])], 'operator',
      context({ userActivityUnreachable }))[0].fields.find((f) => f.name === 'decision')?.options?.map((o) => o.value);
    assert.deepEqual(decisions(true), ['recheck', 'postpone']);
    assert.deepEqual(decisions(false), ['proceed', 'postpone']);
  });

  it('offers cancellation when the workflow declares it, to whichever roles it names', () => {
    const pending = [action('cancelRequest', ['customer', 'operator'])];
    for (const role of ['customer', 'operator'] as const) {
      assert.deepEqual(actionForms(pending, role, context()).map((f) => [f.route, f.fields.map((x) => x.name)]), [['cancellation', ['reason']]]);
    }
  });
});
