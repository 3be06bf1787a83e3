import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_VERSION_SCHEME, VersionScheme } from '../platform/inventory/version-scheme';

const scheme = (text: string) => {
  const parsed = VersionScheme.parse(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('version schemes', () => {
  it('reads the default scheme, trailing parts left out counting as 0', () => {
    const sut = scheme(DEFAULT_VERSION_SCHEME);
    assert.deepEqual(sut.read('6.1.7.26406'), [6, 1, 7, 26406]);
    assert.deepEqual(sut.read('2024.1'), [2024, 1, 0, 0]);
    for (const bad of ['', '6.1.', '.6', '6.1.7.26406.1', '6.x', 'v6.1', '6..1', '1234567890']) assert.equal(sut.read(bad), undefined, bad);
  });

  it("classifies by the first part that differs, and says which way", () => {
    const sut = scheme(DEFAULT_VERSION_SCHEME);
    const compare = (a: string, b: string) => sut.compare(sut.read(a)!, sut.read(b)!);
    assert.deepEqual(compare('6.1.7.26406', '7.0'), { kind: 'upgrade', classification: 'major-release' });
    assert.deepEqual(compare('6.1.7.26406', '6.2'), { kind: 'upgrade', classification: 'minor-release' });
    assert.deepEqual(compare('6.1.7.26406', '6.1.8'), { kind: 'upgrade', classification: 'service-pack' });
    assert.deepEqual(compare('6.1.7.26406', '6.1.7.26407'), { kind: 'upgrade', classification: 'revision' });
    assert.deepEqual(compare('6.1.7.26406', '6.0.9.99999'), { kind: 'downgrade', classification: 'minor-release' });
    assert.deepEqual(compare('6.1', '6.1.0.0'), { kind: 'same' });
  });

  it('reads a scheme without some parts, with separators of its own', () => {
    const sut = scheme('{Major}.{Minor} SP{ServicePack}');
    assert.deepEqual(sut.read('10.2 SP3'), [10, 2, 3, 0]);
    assert.deepEqual(sut.read('10.2'), [10, 2, 0, 0]);
    assert.equal(sut.read('10.2.3'), undefined);
    assert.deepEqual(sut.compare(sut.read('10.2 SP3')!, sut.read('10.2 SP4')!), { kind: 'upgrade', classification: 'service-pack' });
  });

  it('refuses schemes it could not read unambiguously', () => {
    const refusals: Array<[string, string]> = [
      ['', 'a version scheme starts with {Major}'],
      ['{Minor}.{Revision}', 'a version scheme starts with {Major}'],
      ['v{Major}', 'a version scheme starts and ends with a part such as {Major}'],
      ['{Major}.', 'a version scheme starts and ends with a part such as {Major}'],
      ['{Major}{Minor}', 'two parts need a separator between them'],
      ['{Major}.{Revision}.{Minor}', 'the parts must follow each other in the order Major, Minor, ServicePack, Revision, each at most once'],
      ['{Major}.{Major}', 'the parts must follow each other in the order Major, Minor, ServicePack, Revision, each at most once'],
      ['{Major}.1.{Minor}', 'the separator ".1." may not contain digits or braces'],
      ['{Major}.{Build}', 'unknown part {Build}; the parts are {Major}, {Minor}, {ServicePack}, {Revision}'],
    ];
    for (const [text, reason] of refusals) assert.equal(VersionScheme.parse(text), reason, text);
  });
});
