import { ApplicationFailure } from '@temporalio/activity';
import type { SessionProvider } from './session-provider';

export interface SessionDependencies {
  /** Absent when SESSION_PROVIDER=none: operators then report active users by hand. */
  sessionProvider?: SessionProvider;
}

export function createSessionActivities({ sessionProvider }: SessionDependencies) {
  return {
    async countActiveUsers(input: { requestId: string; targets: string[] }): Promise<number> {
      if (!sessionProvider) throw ApplicationFailure.nonRetryable('no session provider configured', 'NoSessionProvider');
      return sessionProvider.countActiveUsers(input.targets);
    },
  };
}
