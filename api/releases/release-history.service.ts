import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UpdateRequest } from '../../workflows/update-request.contract';
import type { ReleaseHistoryQuery, ReleaseHistoryView, ReleaseView } from './release-history.dto';

interface ReleaseRow { request: UpdateRequest; signed_off_at: Date }

/**
 * A customer's release history: every update carried out on its systems, that is every request the
 * customer signed off (the sign-off in the audit trail dates it), newest first. Rolled-back, aborted
 * and cancelled requests changed nothing and are not listed. Every request the API accepted has its
 * submitted request stored, which the history reads.
 */
@Injectable()
export class ReleaseHistory {
  constructor(private readonly dataSource: DataSource) {}

  async of(customerId: string, { page, pageSize }: ReleaseHistoryQuery): Promise<ReleaseHistoryView> {
    const signedOff = `FROM update_requests r
      JOIN audit_events e ON e.request_id = r.request_id AND e.step = 'sign-off' AND e.action = 'signed-off'
      WHERE r.customer_id = $1 AND r.request IS NOT NULL`;
    const [{ total }]: Array<{ total: number }> = await this.dataSource.query(`SELECT count(*)::int AS total ${signedOff}`, [customerId]);
    const rows: ReleaseRow[] = await this.dataSource.query(
      `SELECT r.request, e.occurred_at AS signed_off_at ${signedOff}
       ORDER BY e.occurred_at DESC, r.request_id LIMIT $2 OFFSET $3`,
      [customerId, pageSize, (page - 1) * pageSize]);
    return { customerId, items: rows.map(toReleaseView), total, page, pageSize };
  }
}

function toReleaseView({ request, signed_off_at }: ReleaseRow): ReleaseView {
  const { requestId, software, classification, category, severity, targets, releaseNotes } = request;
  return {
    requestId,
    software: software.name,
    vendor: software.vendor,
    fromVersion: software.currentVersion,
    version: software.targetVersion,
    ...(classification ? { classification } : {}),
    category,
    severity,
    systems: targets.map((t) => t.name),
    signedOffAt: signed_off_at.toISOString(),
    ...(releaseNotes ? { releaseNotes: releaseNotes.summary } : {}),
    ...(releaseNotes?.link ? { releaseNotesLink: releaseNotes.link } : {}),
  };
}
