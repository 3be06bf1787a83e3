import { ApplicationFailure } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { SlotAssessment, SlotAssessmentInput, SlotConflict } from '../workflows/activity-contract';
import type { SupportHours } from './support-hours';

export interface SlotDependencies {
  dataSource: DataSource;
  supportHours: SupportHours;
}

interface ReservationRow {
  request_id: string;
  target: string;
  starts_at: Date;
  ends_at: Date;
}

export function createSlotActivities({ dataSource, supportHours }: SlotDependencies) {
  return {
    /**
     * Reserves the slot on every target unless another request holds an overlapping one. A retry
     * gives the same answer: the request's own reservations never conflict and are replaced.
     */
    async assessSlot(input: SlotAssessmentInput): Promise<SlotAssessment> {
      const start = new Date(input.start);
      const end = new Date(input.end);
      const targets = [...new Set(input.targets)].sort();
      if (!(start < end) || targets.length === 0) {
        throw ApplicationFailure.nonRetryable(`a slot needs a start before its end and at least one target (got ${JSON.stringify(input)})`, 'InvalidSlot');
      }
      const conflicts = await dataSource.transaction(async (tx) => {
        // Locks taken in sorted order: two requests racing for the same VMs serialise, never deadlock.
        for (const target of targets) await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [target]);
        const overlapping: ReservationRow[] = await tx.query(
          `SELECT request_id, target, starts_at, ends_at FROM slot_reservations
           WHERE target = ANY($1) AND request_id <> $2 AND starts_at < $4 AND ends_at > $3
           ORDER BY starts_at, target, request_id`,
          [targets, input.requestId, start, end],
        );
        if (overlapping.length > 0) return overlapping.map(toConflict);
        await tx.query('DELETE FROM slot_reservations WHERE request_id = $1', [input.requestId]);
        await tx.query(
          `INSERT INTO slot_reservations (request_id, target, starts_at, ends_at)
           SELECT $1, target, $3, $4 FROM unnest($2::text[]) AS target`,
          [input.requestId, targets, start, end],
        );
        return [];
      });
      return { withinSupportHours: supportHours.isWithin(start, end), conflicts };
    },

    /** Frees every target the request reserved; releasing twice is harmless. */
    async releaseSlot(input: { requestId: string }): Promise<void> {
      await dataSource.query('DELETE FROM slot_reservations WHERE request_id = $1', [input.requestId]);
    },
  };
}

function toConflict(row: ReservationRow): SlotConflict {
  return { requestId: row.request_id, target: row.target, start: row.starts_at.toISOString(), end: row.ends_at.toISOString() };
}
