import type { ParsedMail } from 'mailparser';

/** The iCalendar attachment of a parsed mail, its lines unfolded (RFC 5545 §3.1), or undefined. */
export function calendarOf(mail: ParsedMail): { method?: string; uid?: string; sequence?: number; status?: string; raw: string } | undefined {
  const part = mail.attachments.find((a) => a.contentType.startsWith('text/calendar') || a.filename?.endsWith('.ics'));
  if (!part) return undefined;
  const raw = part.content.toString('utf8').replace(/\r?\n[ \t]/g, '');
  const field = (name: string) => new RegExp(`^${name}(?:;[^:]*)?:(.*)$`, 'm').exec(raw)?.[1]?.trim();
  const sequence = field('SEQUENCE');
  return { method: field('METHOD'), uid: field('UID'), sequence: sequence === undefined ? undefined : Number(sequence), status: field('STATUS'), raw };
}

/** The addresses a parsed mail went to. */
export function recipientsOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((a) => a.value.map((v) => v.address ?? ''));
}
