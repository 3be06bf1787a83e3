import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** Marks a payload this codec sealed; anything else (older plain payloads) passes through untouched. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** The keys payloads may be sealed with: every configured key decrypts, only the active one encrypts. */
export interface PayloadKeyRing {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Encrypts every payload (workflow inputs, Update arguments, activity inputs and results) with
 * AES-256-GCM. Sealing all payloads, not chosen fields, means a new field that carries a licence
 * key or a contact can never leak by being forgotten. The whole original payload (its metadata
 * too) is serialised with Temporal's own protobuf type, encrypted, and the key's id travels in the
 * outer metadata, so keys rotate: old histories stay readable while new payloads use the new key.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly ring: PayloadKeyRing) {
    if (!ring.keys.has(ring.activeKeyId)) throw new Error(`active payload key ${ring.activeKeyId} is not among the configured keys`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.seal(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isSealed(payload) ? this.open(payload) : payload));
  }

  private seal(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.ring.keys.get(this.ring.activeKeyId)!, iv);
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(this.ring.activeKeyId) },
      data: sealed,
    };
  }

  private open(payload: Payload): Payload {
    const keyId = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
    const key = this.ring.keys.get(keyId);
    if (!key) throw new Error(`payload was encrypted with key "${keyId}", which is not configured (PAYLOAD_KEYS)`);
    const data = Buffer.from(payload.data ?? []);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

function isSealed(payload: Payload): boolean {
  return Buffer.from(payload.metadata?.encoding ?? []).toString() === ENCRYPTED_ENCODING;
}

/** The failure converter module, for the workflow bundle and for the data converter below. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter of every worker, client and replayer: the default payload converter behind the
 * codec, and failures whose messages travel as (encrypted) payloads.
 */
export function payloadDataConverter(ring: PayloadKeyRing): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(ring)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/**
 * Parses `id:base64key` pairs separated by commas (PAYLOAD_KEYS). Returns the problems found, so
 * the configuration can name the variable; each key must be exactly 32 bytes.
 */
export function parsePayloadKeys(text: string): { keys: Map<string, Buffer>; problems: string[] } {
  const keys = new Map<string, Buffer>();
  const problems: string[] = [];
  for (const [index, entry] of text.split(',').map((e) => e.trim()).filter(Boolean).entries()) {
    const match = /^([A-Za-z0-9._-]+):([A-Za-z0-9+/=]+)$/.exec(entry);
    const key = match ? Buffer.from(match[2], 'base64') : undefined;
    if (!match || key!.length !== KEY_BYTES) {
      // Names the entry by its id or position, never by its text: that may hold key material.
      problems.push(`PAYLOAD_KEYS entries must be id:base64 of ${KEY_BYTES} random bytes (entry ${match ? match[1] : `#${index + 1}`})`);
    } else if (keys.has(match[1])) {
      problems.push(`PAYLOAD_KEYS names key ${match[1]} twice`);
    } else {
      keys.set(match[1], key!);
    }
  }
  if (keys.size === 0 && problems.length === 0) problems.push('PAYLOAD_KEYS must name at least one key');
  return { keys, problems };
}
