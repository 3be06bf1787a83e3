import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { ConfigurationError, loadConfig } from '../../platform/config';
import { failureConverter } from '../../platform/failure-converter';
import { AesGcmPayloadCodec, KEY_ID_METADATA } from '../../platform/payload-codec';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const secret = { licenceReferences: ['LIC-SECRET-4711'], contacts: [{ name: 'Clara Kunde', email: 'clara@customer.test' }] };

describe('payload codec (AES-256-GCM)', () => {
  it('seals a payload so the plaintext is gone, and opens it again', async () => {
    const sut = new AesGcmPayloadCodec({ activeKeyId: 'a', keys: new Map([['a', keyA]]) });
    const [sealed] = await sut.encode([defaultPayloadConverter.toPayload(secret)]);
    assert.equal(Buffer.from(sealed.metadata![KEY_ID_METADATA]).toString(), 'a');
    assert.ok(!Buffer.from(sealed.data!).toString('latin1').includes('LIC-SECRET-4711'));
    assert.ok(!Buffer.from(sealed.data!).toString('latin1').includes('clara@customer.test'));
    const [opened] = await sut.decode([sealed]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(opened), secret);
  });

  it('rotates keys: new payloads use the active key, old ones still open while their key is configured', async () => {
    const before = new AesGcmPayloadCodec({ activeKeyId: 'a', keys: new Map([['a', keyA]]) });
    const [old] = await before.encode([defaultPayloadConverter.toPayload(secret)]);
    const sut = new AesGcmPayloadCodec({ activeKeyId: 'b', keys: new Map([['b', keyB], ['a', keyA]]) });
    const [fresh] = await sut.encode([defaultPayloadConverter.toPayload(secret)]);
    assert.equal(Buffer.from(fresh.metadata![KEY_ID_METADATA]).toString(), 'b');
    const [openedOld, openedFresh] = await sut.decode([old, fresh]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(openedOld), secret);
    assert.deepEqual(defaultPayloadConverter.fromPayload(openedFresh), secret);

    const retired = new AesGcmPayloadCodec({ activeKeyId: 'b', keys: new Map([['b', keyB]]) });
    await assert.rejects(retired.decode([old]), /encrypted with key "a", which is not configured/);
  });

  it('refuses a payload whose ciphertext was altered', async () => {
    const sut = new AesGcmPayloadCodec({ activeKeyId: 'a', keys: new Map([['a', keyA]]) });
    const [sealed] = await sut.encode([defaultPayloadConverter.toPayload(secret)]);
    const data = Buffer.from(sealed.data!);
    data[20] ^= 1;
    await assert.rejects(sut.decode([{ ...sealed, data }]), /unable to authenticate|auth/i);
  });

  it('passes payloads through that it did not seal (histories from before encryption)', async () => {
    const sut = new AesGcmPayloadCodec({ activeKeyId: 'a', keys: new Map([['a', keyA]]) });
    const plain = defaultPayloadConverter.toPayload(secret);
    assert.deepEqual(await sut.decode([plain]), [plain]);
  });

  it('moves failure messages into payloads, so the codec seals them too', async () => {
    const failure = failureConverter.errorToFailure(new Error('550 mailbox clara@customer.test unavailable'), defaultPayloadConverter);
    assert.equal(failure.message, 'Encoded failure');
    assert.ok(!failure.stackTrace?.includes('clara'));
    const sut = new AesGcmPayloadCodec({ activeKeyId: 'a', keys: new Map([['a', keyA]]) });
    const [sealed] = await sut.encode([failure.encodedAttributes!]);
    assert.ok(!Buffer.from(sealed.data!).toString('latin1').includes('clara@customer.test'));
    const [opened] = await sut.decode([sealed]);
    assert.equal(failureConverter.failureToError({ ...failure, encodedAttributes: opened }, defaultPayloadConverter).message,
      '550 mailbox clara@customer.test unavailable');
  });

  it('reads several keys from PAYLOAD_KEYS, the first active unless PAYLOAD_ACTIVE_KEY says otherwise', () => {
    const keys = `2026-q4:${keyB.toString('base64')}, 2026-q3:${keyA.toString('base64')}`;
    assert.equal(loadConfig({ PAYLOAD_KEYS: keys }).payloadKeys.activeKeyId, '2026-q4');
    const sut = loadConfig({ PAYLOAD_KEYS: keys, PAYLOAD_ACTIVE_KEY: '2026-q3' }).payloadKeys;
    assert.equal(sut.activeKeyId, '2026-q3');
    assert.deepEqual([...sut.keys.keys()], ['2026-q4', '2026-q3']);
    assert.equal(sut.keysGiven, true);
  });

  for (const [env, pattern] of [
    [{ PAYLOAD_KEYS: 'k1:c2hvcnQ=' }, /PAYLOAD_KEYS entries must be id:base64 of 32 random bytes \(entry k1\)/],
    [{ PAYLOAD_KEYS: `k1:${keyA.toString('base64')},secretwithoutid` }, /PAYLOAD_KEYS entries must be id:base64 of 32 random bytes \(entry #2\)/],
    [{ PAYLOAD_KEYS: `k1:${keyA.toString('base64')},k1:${keyB.toString('base64')}` }, /PAYLOAD_KEYS names key k1 twice/],
    [{ PAYLOAD_KEYS: `k1:${keyA.toString('base64')}`, PAYLOAD_ACTIVE_KEY: 'k2' }, /PAYLOAD_ACTIVE_KEY must name a key in PAYLOAD_KEYS/],
  ] as const) {
    it(`refuses ${JSON.stringify(env).slice(0, 40)}…, naming the variable`, () => {
      assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigurationError && err.problems.some((p) => pattern.test(p)));
    });
  }
});
