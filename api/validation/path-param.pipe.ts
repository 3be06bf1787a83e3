import { type ArgumentMetadata, Injectable, NotFoundException, type PipeTransform } from '@nestjs/common';
import { CONTROL_CHARACTERS } from './shape.decorators';

/** Longer than any id the service hands out (request ids are UUIDs, host names at most 253). */
const MAX_ID_LENGTH = 253;

/**
 * Path parameters name things by id. One with control characters or beyond any id's length names
 * nothing, so it is a 404 before it reaches a query (PostgreSQL would refuse a NUL with an error).
 */
@Injectable()
export class PathParamPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'param' || typeof value !== 'string') return value;
    if (value.length > MAX_ID_LENGTH || CONTROL_CHARACTERS.test(value)) throw new NotFoundException(`no such ${metadata.data ?? 'resource'}`);
    return value;
  }
}
