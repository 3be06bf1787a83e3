/**
 * Payloads of the activities that reach the customer's machines themselves: the hypervisor's
 * snapshots (by round) and the checks run on a host over SSH (who has the software open, the
 * technical test). Types only, so workflows, activities and the API can share them.
 */
import type { SnapshotTarget } from './activity-contract';

/**
 * A snapshot to take for one target. `round` names the installation round it guards (absent in
 * histories recorded before rounds were passed: round 1), so each round's snapshot has its own name.
 */
export interface SnapshotRequest extends SnapshotTarget {
  round?: number;
}

/** One command run on a host, kept in the timeline as evidence. */
export interface CommandEvidence {
  target: string;
  /** What the command was for: `sessions`, `processes`, `application`, `service:<name>`, `log-errors`. */
  check: string;
  command: string;
  /** null when the command ended by a signal or was cut off by its time limit. */
  exitCode: number | null;
  /** The start of stdout then stderr, at most EVIDENCE_OUTPUT_LIMIT characters. */
  output: string;
  truncated: boolean;
}

/** The longest output excerpt kept per command. */
export const EVIDENCE_OUTPUT_LIMIT = 2000;

/** A host that did not answer over SSH after every attempt; the engineer decides what to do. */
export interface UnreachableHost {
  outcome: 'unreachable';
  target: string;
  /** The last connection error (refused, timed out, host key not trusted, authentication failed). */
  error: string;
  attempts: number;
}

/** An unreachable host, with the evidence of the hosts checked before it. */
export type UnreachableReport = UnreachableHost & { evidence: CommandEvidence[] };

export interface ActiveUsersQuery {
  requestId: string;
  targets: string[];
  /** The software whose users count; absent: the request's software, from the read model. */
  softwareName?: string;
}

/** Users who have the software open: a session on the host and the software's process as them. */
export interface ActiveUser {
  target: string;
  user: string;
}

export type ActiveUsersReport =
  | { outcome: 'counted'; activeUsers: number; users: ActiveUser[]; evidence: CommandEvidence[] }
  | UnreachableReport;

export interface TechnicalTestInput {
  requestId: string;
  target: string;
  /** The software whose catalogue entry says what to check; absent: the request's software. */
  softwareName?: string;
  /** Errors logged at or after this instant (ISO-8601, e.g. when the install began) fail the test. */
  since: string;
}

export type TechnicalTestReport =
  | { outcome: 'passed' | 'failed'; target: string; evidence: CommandEvidence[];
    /** The checks that failed, by their `check` name; empty when passed. */
    failedChecks: string[] }
  | UnreachableReport;
