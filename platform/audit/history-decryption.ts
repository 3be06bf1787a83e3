import type { PayloadCodec } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import { ENCRYPTED_ENCODING } from '../payload-codec';

const SEALED_ENCODING_BASE64 = Buffer.from(ENCRYPTED_ENCODING).toString('base64');

/**
 * Opens every sealed payload of a proto3-JSON history, wherever in the event tree it sits, and
 * returns the history in the same form. The result replays without the key and shows licence
 * keys and contacts in clear: for an auditor's own reading, to be kept as confidentially as the key.
 */
export async function decryptHistoryJson(json: string, codec: PayloadCodec): Promise<string> {
  const tree: unknown = JSON.parse(json);
  const sealed: Array<Record<string, unknown>> = [];
  collectSealed(tree, sealed);
  const opened = await codec.decode(sealed.map((p) => JSONToPayload(p as JSONPayload)));
  sealed.forEach((payload, i) => {
    for (const key of Object.keys(payload)) delete payload[key];
    Object.assign(payload, payloadToJSON(opened[i]));
  });
  return JSON.stringify(tree, null, 2);
}

function collectSealed(node: unknown, into: Array<Record<string, unknown>>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectSealed(item, into);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    const metadata = record.metadata as Record<string, unknown> | undefined;
    if (metadata && metadata.encoding === SEALED_ENCODING_BASE64) {
      into.push(record);
      return;
    }
    for (const value of Object.values(record)) collectSealed(value, into);
  }
}
