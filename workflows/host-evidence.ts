import { ActivityFailure } from '@temporalio/workflow';
import type { CommandEvidence, UnreachableHost } from './host-checks.contract';
import type { CheckNotDone, Evidence } from './update-request.contract';

/**
 * The commands a check ran on the hosts, as timeline evidence: per command (named by target and
 * check) the command line, its exit code (`none` when it ended by a signal or its time limit) and
 * the bounded excerpt of its output, marked when cut.
 */
export function commandEvidence(evidence: readonly CommandEvidence[]): Evidence {
  const entries: Evidence = {};
  for (const e of evidence) {
    const name = `${e.target} ${e.check}`;
    entries[`${name}: command`] = e.command;
    entries[`${name}: exit code`] = e.exitCode ?? 'none';
    entries[`${name}: output`] = e.truncated ? `${e.output}\n[output cut]` : e.output;
  }
  return entries;
}

/** A host the provider could not reach after its own attempts, as the engineer will see it. */
export function unreachable({ target, error, attempts }: UnreachableHost): CheckNotDone {
  return { target, error, attempts, at: new Date().toISOString() };
}

/**
 * A check that failed as an activity (the inventory names no SSH address, the catalogue has no
 * entry): like an unreachable host, nobody could look, so the engineer decides instead of the
 * request failing.
 */
export function checkFailed(err: unknown, target: string): CheckNotDone {
  if (!(err instanceof ActivityFailure)) throw err;
  return { target, error: err.cause?.message ?? err.message, at: new Date().toISOString() };
}
