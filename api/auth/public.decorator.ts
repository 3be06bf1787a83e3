import { SetMetadata } from '@nestjs/common';

/** Metadata key of routes anyone may call without a key (health probes, metrics scrapes). */
export const PUBLIC_KEY = 'managed-updates:public';

/** Opens a route or controller to unauthenticated callers; everything else needs a bearer key. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
