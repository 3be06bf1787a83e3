import { condition, defineUpdate, patched, proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ScheduledStartAttribute, UpdateStatusAttribute } from '../../workflows/update-request.contract';
import type { MirrorActivities } from './mirror.activities';

/**
 * The Temporal commands of a short-notice request (managedUpdateWorkflow) from its start to the
 * slot proposal, task by task, with no work of ours in them: the activities are no-ops in the bench
 * process, the payloads empty and unencrypted. Beside the minimal workflow it tells what those
 * commands cost; beside the service, what the service's own code costs. Same activity, Update and
 * patch names as the service, so the histories compare line by line.
 */

export const mirrorDecisionUpdate = defineUpdate<string, []>('decideShortNotice');
export const mirrorProposalUpdate = defineUpdate<string, []>('proposeSlot');

/** As the service's profiles: the read model, policy and reservations local, mail through the server. */
const local = proxyLocalActivities<MirrorActivities>({ startToCloseTimeout: '30 seconds' });
const mail = proxyActivities<MirrorActivities>({ startToCloseTimeout: '1 minute' });

/** The lead-time review's deadline and the operators' response time of a major request. */
const TWO_DAYS_MS = 2 * 86_400_000;

export async function mirrorWorkflow(): Promise<void> {
  const { workflowId } = workflowInfo();
  let decided = false;
  let proposed = false;
  /** The main flow's moves, as the service counts them: a receipt waits for the next one. */
  let moves = 0;
  /** Answers once the main flow has moved on, as the service's receipts do (receipts-after-move). */
  const answerAfterMove = async (effect: () => Promise<void> | void): Promise<string> => {
    const seen = moves;
    patched('receipts-after-move');
    await effect();
    await condition(() => moves !== seen);
    return 'moved';
  };
  setHandler(mirrorDecisionUpdate, () => answerAfterMove(() => { decided = true; }));
  setHandler(mirrorProposalUpdate, () => answerAfterMove(async () => {
    patched('slot-reservations-local');
    await local.assessSlot();
    upsertSearchAttributes([{ key: ScheduledStartAttribute, value: null }]);
    void mail.deliverNotifications();
    proposed = true;
  }));

  // Intake, the first workflow task: the policy, then the messages as one activity, the status, and
  // the read model written before the wait for the operator's decision.
  patched('policy-read-locally');
  await local.loadPolicy();
  patched('notifications-per-task');
  upsertSearchAttributes([{ key: UpdateStatusAttribute, value: 'lead-time-review' }]);
  void mail.deliverNotifications();
  await local.syncReadModel(workflowId);
  moves += 1;
  await condition(() => decided, TWO_DAYS_MS);

  // The decision's task: the woken wait writes the read model, scheduling starts (status, the
  // response-time patch) and its wait writes again before it sleeps.
  await local.syncReadModel(workflowId);
  moves += 1;
  upsertSearchAttributes([{ key: UpdateStatusAttribute, value: 'scheduling' }]);
  patched('operator-response-times');
  await local.syncReadModel(workflowId);
  moves += 1;
  await condition(() => proposed, TWO_DAYS_MS);

  // The proposal's task: the woken wait and the wait for the customer's acceptance each write.
  await local.syncReadModel(workflowId);
  await local.syncReadModel(workflowId);
  moves += 1;
  await condition(() => false);
}
