import type { DataSource } from 'typeorm';
import type { Contact, UpdateRequest, UpdateStatus } from '../../workflows/update-request.contract';

/** A request's slot once the customer has agreed to it, from the read model (`update_requests`). */
export interface AgreedSlot {
  requestId: string;
  customerId: string;
  softwareName: string;
  targetVersion: string;
  start: Date;
  end: Date;
  targets: string[];
  contacts: Contact[];
}

/**
 * Statuses in which a request's slot is not (or no longer) agreed: still being arranged (a slot
 * only proposed, or moved back to scheduling), or the update will not happen.
 */
const NOT_AGREED: readonly UpdateStatus[] = ['intake', 'lead-time-review', 'downgrade-review', 'scheduling', 'aborted', 'cancelled', 'declined'];

export interface AgreedSlotFilter {
  customerId: string;
  /** Only slots that end after this instant. */
  endsAfter?: Date;
  /** Only slots that start in [from, to). */
  startsWithin?: { from: Date; to: Date };
}

/** The customer's agreed slots matching `filter`, soonest first. */
export async function agreedSlots(dataSource: DataSource, { customerId, endsAfter, startsWithin }: AgreedSlotFilter): Promise<AgreedSlot[]> {
  const rows: Array<{ request_id: string; customer_id: string; software_name: string; target_version: string; scheduled_start: Date; scheduled_end: Date; request: UpdateRequest | null }> =
    await dataSource.query(
      `SELECT request_id, customer_id, software_name, target_version, scheduled_start, scheduled_end, request FROM update_requests
       WHERE customer_id = $1 AND scheduled_start IS NOT NULL AND scheduled_end IS NOT NULL AND NOT (status = ANY($2::text[]))
         AND ($3::timestamptz IS NULL OR scheduled_end > $3) AND ($4::timestamptz IS NULL OR scheduled_start >= $4)
         AND ($5::timestamptz IS NULL OR scheduled_start < $5)
       ORDER BY scheduled_start, request_id`,
      [customerId, NOT_AGREED, endsAfter ?? null, startsWithin?.from ?? null, startsWithin?.to ?? null],
    );
  return rows.map((r) => ({
    requestId: r.request_id, customerId: r.customer_id, softwareName: r.software_name, targetVersion: r.target_version,
    start: r.scheduled_start, end: r.scheduled_end, targets: r.request?.targets.map((t) => t.name) ?? [], contacts: r.request?.contacts ?? [],
  }));
}
