import type { Classification } from '../../workflows/update-request.contract';

/**
 * How a vendor numbers its versions, e.g. `{Major}.{Minor}.{ServicePack}.{Revision}` (6.1.7.26406):
 * numeric parts, most significant first, between literal separators. A version may leave out
 * trailing parts (2024.1 is 2024.1.0.0), as vendors write them in their own notes.
 */
export const DEFAULT_VERSION_SCHEME = '{Major}.{Minor}.{ServicePack}.{Revision}';

const PARTS = ['Major', 'Minor', 'ServicePack', 'Revision'] as const;
type Part = (typeof PARTS)[number];

const CLASS_OF_PART: Record<Part, Classification> = {
  Major: 'major-release', Minor: 'minor-release', ServicePack: 'service-pack', Revision: 'revision',
};

export type VersionComparison =
  | { kind: 'upgrade'; classification: Classification }
  | { kind: 'downgrade'; classification: Classification }
  | { kind: 'same' };

export class VersionScheme {
  private constructor(readonly text: string, private readonly parts: Part[], private readonly pattern: RegExp) {}

  /** The scheme, or a sentence saying what is wrong with it. */
  static parse(text: string): VersionScheme | string {
    const tokens = text.split(/(\{[A-Za-z]+\})/).filter((t) => t !== '');
    const parts: Part[] = [];
    let source = '';
    let open = 0;
    for (const [i, token] of tokens.entries()) {
      const placeholder = /^\{([A-Za-z]+)\}$/.exec(token)?.[1];
      if (placeholder === undefined) {
        if (i === 0 || i === tokens.length - 1) return 'a version scheme starts and ends with a part such as {Major}';
        if (/[\d{}]/.test(token)) return `the separator "${token}" may not contain digits or braces`;
        source += `(?:${escapeRegExp(token)}`;
        open += 1;
        continue;
      }
      if (!(PARTS as readonly string[]).includes(placeholder)) return `unknown part {${placeholder}}; the parts are ${PARTS.map((p) => `{${p}}`).join(', ')}`;
      const part = placeholder as Part;
      if (parts.length > 0 && PARTS.indexOf(part) <= PARTS.indexOf(parts[parts.length - 1])) {
        return `the parts must follow each other in the order ${PARTS.join(', ')}, each at most once`;
      }
      if (i > 0 && tokens[i - 1].startsWith('{')) return 'two parts need a separator between them';
      parts.push(part);
      source += '(\\d{1,9})';
    }
    if (parts[0] !== 'Major') return 'a version scheme starts with {Major}';
    return new VersionScheme(text, parts, new RegExp(`^${source}${')?'.repeat(open)}$`));
  }

  /** The version's parts in the order Major, Minor, ServicePack, Revision (absent ones 0); undefined if it does not follow the scheme. */
  read(version: string): number[] | undefined {
    const match = this.pattern.exec(version);
    if (!match) return undefined;
    return PARTS.map((part) => {
      const index = this.parts.indexOf(part);
      return index < 0 || match[index + 1] === undefined ? 0 : Number(match[index + 1]);
    });
  }

  /** Installed → target; both must follow the scheme. */
  compare(installed: number[], target: number[]): VersionComparison {
    const differing = PARTS.findIndex((_, i) => installed[i] !== target[i]);
    if (differing < 0) return { kind: 'same' };
    const classification = CLASS_OF_PART[PARTS[differing]];
    return target[differing] > installed[differing] ? { kind: 'upgrade', classification } : { kind: 'downgrade', classification };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
