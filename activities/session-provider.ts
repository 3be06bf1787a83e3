import type { ActiveUsersQuery, ActiveUsersReport, TechnicalTestInput, TechnicalTestReport } from '../workflows/host-checks.contract';

/** Where the worker learns who has the software open on the targets, and runs the technical test. */
export interface SessionProvider {
  /**
   * Whether it looks at the hosts themselves (SSH): the workflow then keeps its evidence, lets it run
   * the technical test for the engineer to confirm, and hands an unreachable host to the engineer.
   */
  readonly checksHosts: boolean;
  inspectActiveUsers(query: ActiveUsersQuery): Promise<ActiveUsersReport>;
  runTechnicalTest(input: TechnicalTestInput): Promise<TechnicalTestReport>;
}

/**
 * A stand-in session source (SESSION_PROVIDER=simulated, and tests): by default nobody is signed
 * in; a test scripts the answers with a function or a sequence of counts. Its technical test
 * always passes and, like its counts, carries no evidence. It stands in for a provider that checks
 * hosts only when a test says so (`checksHosts`), so demos keep the engineer's checklist.
 */
export class SimulatedSessionProvider implements SessionProvider {
  constructor(
    private readonly answer: (targets: string[]) => number = () => 0,
    readonly checksHosts = false,
  ) {}

  /** Answers each count in turn, then keeps repeating the last one. */
  static sequence(counts: [number, ...number[]], checksHosts = false): SimulatedSessionProvider {
    const queue = [...counts];
    return new SimulatedSessionProvider(() => (queue.length > 1 ? queue.shift()! : queue[0]), checksHosts);
  }

  async inspectActiveUsers({ targets }: ActiveUsersQuery): Promise<ActiveUsersReport> {
    return { outcome: 'counted', activeUsers: this.answer(targets), users: [], evidence: [] };
  }

  async runTechnicalTest({ target }: TechnicalTestInput): Promise<TechnicalTestReport> {
    return { outcome: 'passed', target, evidence: [], failedChecks: [] };
  }
}
