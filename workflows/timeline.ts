import type { Actor, ActorRole, Evidence, StepName, TimelineEntry } from './update-request.contract';

/** Who did something: a person through an Update, or the workflow itself. */
export type Doer = Actor | 'system';

/** Appends audit entries whose keys stay unique across a request and its host workflows. */
export class Timeline {
  private seq = 0;

  constructor(
    private readonly workflowId: string,
    readonly entries: TimelineEntry[] = [],
  ) {}

  record(step: StepName, action: string, by: Doer, evidence: Evidence = {}, target?: string): TimelineEntry {
    const actor = by === 'system' ? { id: 'system', role: 'system' as const } : by;
    const entry: TimelineEntry = {
      key: `${this.workflowId}#${++this.seq}`,
      at: new Date().toISOString(),
      step,
      action,
      actor: actor.id,
      role: actor.role as ActorRole | 'system',
      ...(target === undefined ? {} : { target }),
      evidence,
    };
    this.entries.push(entry);
    return entry;
  }

  /** Adopts entries written by a child workflow, which carry that workflow's own keys. */
  adopt(entries: TimelineEntry[]): void {
    this.entries.push(...entries);
  }
}
