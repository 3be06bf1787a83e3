import { ApplicationFailure } from '@temporalio/activity';
import type { ActiveUsersQuery, ActiveUsersReport, TechnicalTestInput, TechnicalTestReport } from '../workflows/host-checks.contract';
import type { SessionProvider } from './session-provider';

export interface SessionDependencies {
  /** Absent when SESSION_PROVIDER=none: operators then report active users by hand. */
  sessionProvider?: SessionProvider;
}

export function createSessionActivities({ sessionProvider }: SessionDependencies) {
  function provider(): SessionProvider {
    if (!sessionProvider) throw ApplicationFailure.nonRetryable('no session provider configured', 'NoSessionProvider');
    return sessionProvider;
  }
  return {
    /**
     * The number the user-activity step has always received. A host that stays unreachable fails
     * this attempt (retryable): a number cannot say "unknown", and zero would let the update start
     * on a host nobody could look at. `inspectActiveUsers` reports unreachable hosts instead.
     */
    async countActiveUsers(input: ActiveUsersQuery): Promise<number> {
      const report = await provider().inspectActiveUsers(input);
      if (report.outcome === 'unreachable') {
        throw ApplicationFailure.retryable(`cannot count active users: ${report.target} is unreachable (${report.error})`, 'HostUnreachable');
      }
      return report.activeUsers;
    },
    /** Who has the software open on each target, with the commands' evidence, or the unreachable host. */
    async inspectActiveUsers(input: ActiveUsersQuery): Promise<ActiveUsersReport> {
      return provider().inspectActiveUsers(input);
    },
    /** The technical test of one target after installation: application starts, services active, no new errors. */
    async runTechnicalTest(input: TechnicalTestInput): Promise<TechnicalTestReport> {
      return provider().runTechnicalTest(input);
    },
  };
}
