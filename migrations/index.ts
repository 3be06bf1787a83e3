import { InitialSchema1763884800000 } from './1763884800000-InitialSchema';
import { SlotReservations1795425377568 } from './1795425377568-SlotReservations';
import { ApiReadModel1795430000000 } from './1795430000000-ApiReadModel';
import { OutboxSendingState1795440000000 } from './1795440000000-OutboxSendingState';
import { ArchiveAppendOnly1795450000000 } from './1795450000000-ArchiveAppendOnly';
import { WorkflowTaskFailures1795460000000 } from './1795460000000-WorkflowTaskFailures';
import { ConsoleSignIn1796100000000 } from './1796100000000-ConsoleSignIn';
import { SystemInventory1796200000000 } from './1796200000000-SystemInventory';
import { ListingOrder1796250000000 } from './1796250000000-ListingOrder';
import { InstalledSoftware1796300000000 } from './1796300000000-InstalledSoftware';
import { CustomerCalendars1796400000000 } from './1796400000000-CustomerCalendars';
import { CustomerLanguage1796500000000 } from './1796500000000-CustomerLanguage';
import { SupportWarnings1796600000000 } from './1796600000000-SupportWarnings';
import { RequestPriority1796612000000 } from './1796612000000-RequestPriority';
import { SecurityAdvisories1796613000000 } from './1796613000000-SecurityAdvisories';
import { PartnerSlotAcceptance1796670000000 } from './1796670000000-PartnerSlotAcceptance';
import { ListingSearchIndexes1796680000000 } from './1796680000000-ListingSearchIndexes';

/** Every migration in order; TypeORM records which ones ran in `schema_migrations`. */
export const MIGRATIONS = [
  InitialSchema1763884800000,
  SlotReservations1795425377568,
  ApiReadModel1795430000000,
  OutboxSendingState1795440000000,
  ArchiveAppendOnly1795450000000,
  WorkflowTaskFailures1795460000000,
  ConsoleSignIn1796100000000,
  SystemInventory1796200000000,
  ListingOrder1796250000000,
  InstalledSoftware1796300000000,
  CustomerCalendars1796400000000,
  CustomerLanguage1796500000000,
  SupportWarnings1796600000000,
  RequestPriority1796612000000,
  SecurityAdvisories1796613000000,
  PartnerSlotAcceptance1796670000000,
  ListingSearchIndexes1796680000000,
];
