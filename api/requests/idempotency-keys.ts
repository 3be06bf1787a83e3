import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { SubmitRequestBody } from './submit-request.dto';

/** A customer's Idempotency-Key with the fingerprint of the body it came with. */
export interface PresentedKey {
  scope: string;
  key: string;
  bodySha256: string;
}

/** What a key was first used for. */
export interface ClaimedKey {
  requestId: string;
  bodySha256: string;
}

/** `idempotency_keys`: which request each customer's Idempotency-Key created (claimed with the request's row, `RequestReadModel.insertAccepted`). */
@Injectable()
export class IdempotencyKeys {
  constructor(private readonly dataSource: DataSource) {}

  static presented(customerId: string, key: string, body: SubmitRequestBody): PresentedKey {
    return { scope: `submit:${customerId}`, key, bodySha256: bodyFingerprint(body) };
  }

  async find({ scope, key }: PresentedKey): Promise<ClaimedKey | undefined> {
    const [row]: Array<{ request_id: string; body_sha256: string }> = await this.dataSource.query(
      `SELECT request_id, body_sha256 FROM idempotency_keys WHERE scope = $1 AND key = $2`, [scope, key]);
    return row && { requestId: row.request_id, bodySha256: row.body_sha256 };
  }

  async release(requestId: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM idempotency_keys WHERE request_id = $1`, [requestId]);
  }
}

/** SHA-256 of the body with its keys sorted, so the same request in another key order matches. */
function bodyFingerprint(body: SubmitRequestBody): string {
  return createHash('sha256').update(JSON.stringify(sortKeys(body))).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}
