import { PingResult } from './ping-result.entity';

export const DATABASE_ENTITIES = [PingResult];
