import type { CommunicationPolicy } from '../workflows/update-request.contract';
import { ParsedBy } from './support-schedule';

/**
 * How a category's communication policy is spelled in COMMUNICATION_<CATEGORY>: space-separated
 * terms, e.g. `announce>=10d remind=2d,24h confirm`.
 * - `announce` announces every agreed slot; `announce>=Nd` only slots at least N days ahead;
 * - `remind=` lists reminder offsets before the slot (`Nd`, `Nh` or `Nm`);
 * - `confirm` confirms a signed-off update; `none` sends none of these.
 */
export function parseCommunicationPolicy(text: string): CommunicationPolicy | undefined {
  const policy: CommunicationPolicy = { announce: false, announceMinDaysAhead: 0, remindMinutesBefore: [], confirmCompletion: false };
  const terms = text.trim().split(/\s+/);
  if (terms.length === 1 && terms[0].toLowerCase() === 'none') return policy;
  const seen = new Set<string>();
  for (const term of terms) {
    const announce = /^announce(?:>=(\d{1,3})d)?$/i.exec(term);
    const remind = /^remind=(.+)$/i.exec(term);
    const key = announce ? 'announce' : remind ? 'remind' : term.toLowerCase();
    if (seen.has(key)) return undefined;
    seen.add(key);
    if (announce) {
      policy.announce = true;
      policy.announceMinDaysAhead = Number(announce[1] ?? 0);
    } else if (remind) {
      const minutes = remind[1].split(',').map(parseOffsetMinutes);
      if (minutes.some((m) => m === undefined)) return undefined;
      policy.remindMinutesBefore = [...new Set(minutes as number[])].sort((a, b) => b - a);
    } else if (key === 'confirm') {
      policy.confirmCompletion = true;
    } else {
      return undefined;
    }
  }
  return policy;
}

const UNIT_MINUTES: Record<string, number> = { d: 24 * 60, h: 60, m: 1 };

/** "2d", "24h", "30m" → minutes (at least one). */
function parseOffsetMinutes(text: string): number | undefined {
  const match = /^(\d{1,4})([dhm])$/i.exec(text.trim());
  const minutes = match ? Number(match[1]) * UNIT_MINUTES[match[2].toLowerCase()] : 0;
  return minutes > 0 ? minutes : undefined;
}

export const IsCommunicationPolicy = () => ParsedBy('isCommunicationPolicy', parseCommunicationPolicy,
  'space-separated terms announce[>=Nd], remind=<offsets such as 2d,24h,30m>, confirm, or none');
