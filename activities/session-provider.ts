/** Where the worker learns how many users are signed in to the VMs about to be updated. */
export interface SessionProvider {
  countActiveUsers(targets: string[]): Promise<number>;
}

/**
 * A stand-in session source (SESSION_PROVIDER=simulated, and tests): by default nobody is signed
 * in; a test scripts the answers with a function or a sequence of counts.
 */
export class SimulatedSessionProvider implements SessionProvider {
  constructor(private readonly answer: (targets: string[]) => number = () => 0) {}

  /** Answers each count in turn, then keeps repeating the last one. */
  static sequence(counts: [number, ...number[]]): SimulatedSessionProvider {
    const queue = [...counts];
    return new SimulatedSessionProvider(() => (queue.length > 1 ? queue.shift()! : queue[0]));
  }

  async countActiveUsers(targets: string[]): Promise<number> {
    return this.answer(targets);
  }
}
