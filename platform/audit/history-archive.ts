import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import type { WorkflowHistory } from './workflow-history';

export interface ArchivedHistory extends WorkflowHistory {
  seq: number;
  closedAt: Date;
  digest: string;
  previousDigest: string | null;
}

export function isArchived(history: WorkflowHistory): history is ArchivedHistory {
  return history.source === 'archive';
}

export interface ArchiveEntry {
  workflowId: string;
  runId: string;
  closedAt: Date;
  /** The proto3-JSON history exactly as exported: the digest covers these bytes. */
  json: string;
}

/** The first link of the chain that does not hold, and why. */
export interface BrokenLink {
  seq: number;
  workflowId: string;
  reason: string;
}

export interface ChainVerdict {
  intact: boolean;
  checked: number;
  /** The newest digest: an auditor who records it can later tell if newer histories were deleted. */
  headDigest: string | null;
  brokenLink?: BrokenLink;
}

/**
 * Each archived history's digest is SHA-256 over the previous digest, the run's identity, its close
 * time and the SHA-256 of its JSON. Editing a history (or its digest) breaks its own link or the
 * next; deleting one leaves the next pointing at a digest that is no longer its predecessor's.
 */
export function chainDigest(previousDigest: string | null, entry: ArchiveEntry): string {
  const content = createHash('sha256').update(entry.json).digest('hex');
  return createHash('sha256')
    .update(JSON.stringify([previousDigest ?? '', entry.workflowId, entry.runId, entry.closedAt.toISOString(), content]))
    .digest('hex');
}

interface Row {
  seq: string;
  workflow_id: string;
  run_id: string;
  closed_at: Date;
  history_gzip: Buffer;
  digest: string;
  previous_digest: string | null;
}

const BATCH = 200;

/** Closed workflow histories in PostgreSQL (`archived_histories`), gzip-compressed and hash-chained. */
export class HistoryArchive {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends one closed run at the head of the chain; a run already archived is left as it is.
   * The table lock makes concurrent archivers take turns, so the chain never forks.
   */
  async append(entry: ArchiveEntry): Promise<'archived' | 'already-archived'> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query('LOCK TABLE archived_histories IN SHARE ROW EXCLUSIVE MODE');
      const existing = await tx.query('SELECT 1 FROM archived_histories WHERE workflow_id = $1 AND run_id = $2', [entry.workflowId, entry.runId]);
      if (existing.length > 0) return 'already-archived';
      const [head] = await tx.query('SELECT digest FROM archived_histories ORDER BY seq DESC LIMIT 1');
      const previousDigest: string | null = head?.digest ?? null;
      await tx.query(
        `INSERT INTO archived_histories (workflow_id, run_id, closed_at, history_gzip, digest, previous_digest)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [entry.workflowId, entry.runId, entry.closedAt, gzipSync(entry.json), chainDigest(previousDigest, entry), previousDigest],
      );
      return 'archived';
    });
  }

  /** The newest archived run of a workflow, or undefined when it was never archived. */
  async read(workflowId: string): Promise<ArchivedHistory | undefined> {
    const [row] = await this.dataSource.query('SELECT * FROM archived_histories WHERE workflow_id = $1 ORDER BY seq DESC LIMIT 1', [workflowId]);
    return row ? toArchived(row) : undefined;
  }

  async isArchived(workflowId: string): Promise<boolean> {
    return (await this.dataSource.query('SELECT 1 FROM archived_histories WHERE workflow_id = $1 LIMIT 1', [workflowId])).length > 0;
  }

  async count(): Promise<number> {
    const [{ count }] = await this.dataSource.query('SELECT count(*)::int AS count FROM archived_histories');
    return count;
  }

  /** Every archived run in chain order. */
  async *all(): AsyncGenerator<ArchivedHistory> {
    for await (const row of this.rows()) yield toArchived(row);
  }

  /**
   * Walks the whole chain and names the first link that does not hold. `expectedHead`, a head
   * digest recorded earlier, also catches the deletion of the newest histories, which no later
   * link could reveal. `onChecked` hears the number of links checked so far.
   */
  async verify(expectedHead?: string, onChecked: (checked: number) => void = () => undefined): Promise<ChainVerdict> {
    let previous: ArchivedHistory | undefined;
    let checked = 0;
    let headSeen = expectedHead === undefined;
    const broken = (at: { seq: number; workflowId: string }, reason: string): ChainVerdict =>
      ({ intact: false, checked, headDigest: previous?.digest ?? null, brokenLink: { seq: at.seq, workflowId: at.workflowId, reason } });
    for await (const row of this.rows()) {
      let link: ArchivedHistory;
      try {
        link = toArchived(row);
      } catch (err) {
        return broken({ seq: Number(row.seq), workflowId: row.workflow_id }, `the stored history cannot be decompressed (${(err as Error).message}): it was altered`);
      }
      const expectedPrevious = previous?.digest ?? null;
      if (link.previousDigest !== expectedPrevious) {
        return broken(link, previous
          ? `it follows seq ${previous.seq} but does not carry that history's digest: a history between them was deleted, or seq ${previous.seq} was altered`
          : 'it is the oldest history left but names a predecessor: older histories were deleted');
      }
      if (chainDigest(link.previousDigest, link) !== link.digest) {
        return broken(link, 'its content or identity no longer matches its digest: the history was altered');
      }
      if (link.digest === expectedHead) headSeen = true;
      previous = link;
      checked += 1;
      onChecked(checked);
    }
    if (!headSeen) {
      return { intact: false, checked, headDigest: previous?.digest ?? null,
        brokenLink: { seq: (previous?.seq ?? 0) + 1, workflowId: '(missing)', reason: `the recorded head digest ${expectedHead} is no longer in the archive: the newest histories were deleted` } };
    }
    return { intact: true, checked, headDigest: previous?.digest ?? null };
  }

  /** The rows in chain order, read in batches so a long archive never sits in memory at once. */
  private async *rows(): AsyncGenerator<Row> {
    let after = 0;
    for (;;) {
      const rows: Row[] = await this.dataSource.query('SELECT * FROM archived_histories WHERE seq > $1 ORDER BY seq LIMIT $2', [after, BATCH]);
      yield* rows;
      if (rows.length < BATCH) return;
      after = Number(rows[rows.length - 1].seq);
    }
  }
}

function toArchived(row: Row): ArchivedHistory {
  return {
    seq: Number(row.seq),
    workflowId: row.workflow_id,
    runId: row.run_id,
    source: 'archive',
    closedAt: row.closed_at,
    json: gunzipSync(row.history_gzip).toString('utf8'),
    digest: row.digest,
    previousDigest: row.previous_digest,
  };
}
