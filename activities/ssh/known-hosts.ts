import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * OpenSSH's known_hosts format, as far as verifying a host needs it: plain and hashed (`|1|salt|hash`)
 * host patterns, `[host]:port` for ports other than 22, and `@revoked` markers. Wildcards and
 * `@cert-authority` are not supported: such lines never match, so the host is refused.
 */
export class KnownHosts {
  private constructor(private readonly entries: Array<{ marker?: string; hosts: string; keyType: string; key: Buffer }>) {}

  static parse(text: string): KnownHosts {
    const entries = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).flatMap((line) => {
      const fields = line.split(/\s+/);
      const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
      const [hosts, keyType, key] = fields;
      return hosts && keyType && key ? [{ marker, hosts, keyType, key: Buffer.from(key, 'base64') }] : [];
    });
    return new KnownHosts(entries);
  }

  /** True when a line names this host and port with exactly this key (the SSH wire encoding) and no line revokes it. */
  trusts(host: string, port: number, key: Buffer): boolean {
    const name = port === 22 ? host : `[${host}]:${port}`;
    const matching = this.entries.filter((e) => e.key.equals(key) && e.hosts.split(',').some((p) => patternMatches(p, name)));
    return matching.some((e) => e.marker === undefined) && !matching.some((e) => e.marker === '@revoked');
  }
}

function patternMatches(pattern: string, name: string): boolean {
  if (!pattern.startsWith('|1|')) return pattern === name;
  const [, , salt, hash] = pattern.split('|');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
