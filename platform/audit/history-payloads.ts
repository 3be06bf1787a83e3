import { defaultPayloadConverter, type DataConverter, type Payload } from '@temporalio/common';

/**
 * Reads one payload of a history as a value: the codecs open it (last applied, first undone), then
 * the default payload converter, which is the only one our data converter uses, parses it.
 */
export async function decodePayload<T>(payload: Payload | null | undefined, dataConverter: DataConverter): Promise<T | undefined> {
  if (!payload) return undefined;
  let decoded = [payload];
  for (const codec of [...(dataConverter.payloadCodecs ?? [])].reverse()) decoded = await codec.decode(decoded);
  return defaultPayloadConverter.fromPayload<T>(decoded[0]);
}
