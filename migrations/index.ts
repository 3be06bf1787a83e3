import { InitialSchema1763884800000 } from './1763884800000-InitialSchema';
import { SlotReservations1795425377568 } from './1795425377568-SlotReservations';
import { OutboxSendingState1795440000000 } from './1795440000000-OutboxSendingState';

/** Every migration in order; TypeORM records which ones ran in `schema_migrations`. */
export const MIGRATIONS = [InitialSchema1763884800000, SlotReservations1795425377568, OutboxSendingState1795440000000];
