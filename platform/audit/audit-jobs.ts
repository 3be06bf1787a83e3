import { randomUUID } from 'node:crypto';
import type { AuditService } from './audit-service';
import type { ChainVerdict } from './history-archive';
import type { ReplayVerdict } from './history-replayer';

/** The audit work that grows with the archive, so it runs as a job rather than inside one HTTP request. */
export const AUDIT_JOB_KINDS = ['archive-replay', 'archive-verification'] as const;
export type AuditJobKind = (typeof AUDIT_JOB_KINDS)[number];

/** A replay's result keeps only the divergences, so its size does not grow with the archive. */
export interface ArchiveReplayResult {
  deterministic: boolean;
  replayed: number;
  /** The first MAX_LISTED_DIVERGENCES histories that did not replay. */
  diverged: ReplayVerdict[];
}

export interface AuditJob {
  id: string;
  kind: AuditJobKind;
  status: 'running' | 'succeeded' | 'failed';
  /** The head digest the verification was asked to expect, if any. */
  expectHead: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** Histories done out of those in the archive when the job started. */
  progress: { done: number; total: number };
  result: ArchiveReplayResult | ChainVerdict | null;
  error: string | null;
}

export class AuditJobRunningError extends Error {
  constructor(readonly running: AuditJob) {
    super(`audit job ${running.id} (${running.kind}) is still running; follow it or wait for it to finish`);
    this.name = 'AuditJobRunningError';
  }
}

const MAX_LISTED_DIVERGENCES = 100;
/** Finished jobs kept for their callers to read; older ones are forgotten. */
const KEPT_JOBS = 20;

/**
 * Archive-wide replay and verification, one at a time, in this process's background. Callers start
 * a job and follow its progress by id. Jobs live in memory: a restart forgets them (start again);
 * with several API processes, each runs its own one at a time.
 */
export class AuditJobs {
  private readonly jobs = new Map<string, AuditJob>();
  private running?: Promise<void>;

  constructor(private readonly audit: AuditService) {}

  async start(kind: AuditJobKind, { expectHead }: { expectHead?: string } = {}): Promise<AuditJob> {
    const busy = [...this.jobs.values()].find((j) => j.status === 'running');
    if (busy) throw new AuditJobRunningError(busy);
    const job: AuditJob = {
      id: randomUUID(), kind, status: 'running', expectHead: expectHead ?? null, startedAt: new Date().toISOString(),
      finishedAt: null, progress: { done: 0, total: 0 }, result: null, error: null,
    };
    this.remember(job);
    this.running = this.run(job);
    return { ...job };
  }

  get(id: string): AuditJob | undefined {
    const job = this.jobs.get(id);
    return job && structuredClone(job);
  }

  /** Settles when the job under way (if any) has finished; shutdown waits for it. */
  async settled(): Promise<void> {
    await this.running;
  }

  private async run(job: AuditJob): Promise<void> {
    const advance = (done: number) => { job.progress.done = done; };
    try {
      job.progress.total = await this.audit.archive.count();
      job.result = job.kind === 'archive-replay'
        ? replayResult(await this.audit.replayArchive(advance))
        : await this.audit.verifyArchive(job.expectHead ?? undefined, advance);
      job.status = 'succeeded';
    } catch (err) {
      job.status = 'failed';
      job.error = err instanceof Error ? err.message : String(err);
    }
    job.finishedAt = new Date().toISOString();
  }

  private remember(job: AuditJob): void {
    this.jobs.set(job.id, job);
    for (const old of [...this.jobs.values()].filter((j) => j.status !== 'running').slice(0, Math.max(0, this.jobs.size - KEPT_JOBS))) {
      this.jobs.delete(old.id);
    }
  }
}

function replayResult(verdicts: ReplayVerdict[]): ArchiveReplayResult {
  const diverged = verdicts.filter((v) => !v.deterministic);
  return { deterministic: diverged.length === 0, replayed: verdicts.length, diverged: diverged.slice(0, MAX_LISTED_DIVERGENCES) };
}
