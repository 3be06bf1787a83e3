import { Injectable, NotFoundException } from '@nestjs/common';
import type { Actor } from '../../workflows/update-request.contract';
import { RequestReadModel, type UpdateRequestRow } from './request-read-model';

/**
 * Tenancy: a customer sees only its own requests. Another customer's request answers exactly like
 * one that does not exist (404), so a customer cannot even learn that it exists.
 */
@Injectable()
export class RequestAccess {
  constructor(private readonly readModel: RequestReadModel) {}

  async visibleRequest(actor: Actor, requestId: string): Promise<UpdateRequestRow> {
    const row = await this.readModel.find(requestId);
    if (!row || (actor.role === 'customer' && row.customer_id !== actor.customerId)) {
      throw new NotFoundException(`request ${requestId} not found`);
    }
    return row;
  }
}
