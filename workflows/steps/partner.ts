import type { Contact, SlotState } from '../update-request.contract';

/**
 * The partner who performs the update in `slot`, decided by the provider when it proposed the slot:
 * a party to the schedule (it must accept the slot and hears of it). Undefined when the provider's
 * engineer performs it.
 */
export function partnerOf(slot: SlotState | undefined): Contact | undefined {
  return slot?.performer?.kind === 'partner' ? slot.performer.partnerContact : undefined;
}
