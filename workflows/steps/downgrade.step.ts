import { patched, setHandler } from '@temporalio/workflow';
import { requireChoice, requireText } from '../refusal';
import type { RequestRun } from '../request-run';
import { decideDowngradeUpdate, type DecideDowngrade, type DowngradeReviewState } from '../update-request.contract';
import type { WaitDeclaration } from '../waits';
import { awaitOperators, operatorResponseHours } from './operator-response';

/** A declared downgrade waits for an operator's approval; the customer may cancel meanwhile. */
function awaitingApproval(run: RequestRun): WaitDeclaration {
  return {
    accepts: () => [{
      update: 'decideDowngrade', roles: ['operator'], description: 'approve or refuse the declared downgrade',
      ...(run.state.respondBy ? { deadline: run.state.respondBy } : {}),
    }],
    cancellation: { accepted: true },
  };
}

export function registerDowngradeHandlers(run: RequestRun): void {
  setHandler(decideDowngradeUpdate, ({ actor, decision, reason }) => run.act(() => {
    const review = run.state.downgradeReview!;
    review.decision = decision === 'approve' ? 'approved' : 'refused';
    review.by = actor.id;
    review.reason = reason;
    run.record('downgrade', `downgrade-${review.decision}`, actor, { reason });
  }), {
    validator: ({ actor, decision, reason }: DecideDowngrade) => {
      run.requireDeclared('decideDowngrade', actor);
      requireChoice(decision, ['approve', 'refuse'], 'decision');
      requireText(reason, 'reason');
    },
  });
}

/**
 * A target version below the installed one is installed only when an operator approves it (the
 * customer has given the reason). Requests without a downgrade, and runs started before this
 * rule, go straight on.
 */
export async function reviewDowngrade(run: RequestRun): Promise<'proceed' | 'declined'> {
  if (!run.request.downgrade || !patched('downgrade-approval')) return 'proceed';
  const review: DowngradeReviewState = {};
  run.state.downgradeReview = review;
  run.enter('downgrade-review', awaitingApproval(run));
  const decided = () => review.decision !== undefined;
  const hours = operatorResponseHours(run);
  await (hours === undefined ? run.waitUntil(decided) : awaitOperators(run, 'downgrade', decided, hours));
  if (review.decision === 'approved') return 'proceed';
  run.notify('downgrade-refused', 'customer', 'review', { details: { reason: review.reason! } });
  return 'declined';
}
