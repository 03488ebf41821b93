/** Pure RFC 5545 rendering of weekly schedules (no I/O; unit-tested and strictly validated in tests). */

export interface CalendarEvent {
  uid: string;
  summary: string;
  location?: string | null;
  description?: string | null;
  /** IANA time zone of the local times below. */
  timezone: string;
  /** First meeting: local date and times. */
  date: string;
  start: string;
  end: string;
  /** Weekly recurrence until this local date (inclusive); undefined = single event; null = open-ended. */
  weeklyUntil?: string | null;
  /** Local dates of cancelled (or moved) meetings. */
  exdates?: string[];
}

const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** TEXT escaping (RFC 5545 §3.3.11). */
export function escapeText(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets (§3.1) without splitting a UTF-8 sequence. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let cur = '';
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > limit) {
      parts.push(cur);
      cur = '';
      bytes = 0;
      limit = 74; // continuation lines start with one space
    }
    cur += ch;
    bytes += n;
  }
  parts.push(cur);
  return parts.join('\r\n ');
}

const compactDate = (d: string) => d.replace(/-/g, '');
const compactTime = (t: string) => `${t.slice(0, 2)}${t.slice(3, 5)}${t.length >= 8 ? t.slice(6, 8) : '00'}`;
const localStamp = (d: string, t: string) => `${compactDate(d)}T${compactTime(t)}`;
const utcStamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** UTC offset of `tz` at instant `ms`, in minutes (east positive). */
export function offsetMinutes(tz: string, ms: number): number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
  const name = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

const fmtOffset = (min: number) => {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
};

/** Local wall-clock stamp of an instant in `tz` (for VTIMEZONE DTSTART, which is local time). */
function localOf(ms: number, offset: number) {
  return utcStamp(new Date(ms + offset * 60_000)).replace('Z', '');
}

/**
 * VTIMEZONE with one STANDARD/DAYLIGHT onset per actual UTC-offset change between the years, found by
 * scanning the zone with Intl (no tz database of our own). A zone without changes gets one STANDARD.
 */
export function vtimezone(tz: string, fromYear: number, toYear: number): string[] {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear + 1, 0, 1);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${tz}`];
  let prev = offsetMinutes(tz, start);
  const onsets: Array<{ ms: number; from: number; to: number }> = [];
  for (let t = start; t < end; t += 86_400_000) {
    const next = offsetMinutes(tz, t + 86_400_000);
    if (next !== prev) {
      let lo = t;
      let hi = t + 86_400_000;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000;
        if (offsetMinutes(tz, mid) === prev) lo = mid;
        else hi = mid;
      }
      onsets.push({ ms: hi, from: prev, to: next });
      prev = next;
    }
  }
  if (!onsets.length) {
    const off = fmtOffset(prev);
    lines.push(
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      `TZOFFSETFROM:${off}`,
      `TZOFFSETTO:${off}`,
      'END:STANDARD',
    );
  } else {
    // The offset in force before the first change, as an initial onset.
    const first = onsets[0];
    const initialKind = first.from > first.to ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${initialKind}`,
      `DTSTART:${localOf(start, first.from)}`,
      `TZOFFSETFROM:${fmtOffset(first.from)}`,
      `TZOFFSETTO:${fmtOffset(first.from)}`,
      `END:${initialKind}`,
    );
    for (const o of onsets) {
      const kind = o.to > o.from ? 'DAYLIGHT' : 'STANDARD';
      lines.push(
        `BEGIN:${kind}`,
        `DTSTART:${localOf(o.ms, o.from)}`,
        `TZOFFSETFROM:${fmtOffset(o.from)}`,
        `TZOFFSETTO:${fmtOffset(o.to)}`,
        `END:${kind}`,
      );
    }
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

/** UTC instant of a local date/time in `tz` (for RRULE UNTIL, which must be UTC with a TZID start). */
export function localToUtc(tz: string, date: string, time: string): Date {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  let off = offsetMinutes(tz, guess);
  off = offsetMinutes(tz, guess - off * 60_000);
  return new Date(guess - off * 60_000);
}

/** The first date on/after `from` that falls on ISO weekday `day`. */
export function firstOnOrAfter(from: string, day: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  const iso = ((d.getUTCDay() + 6) % 7) + 1;
  d.setUTCDate(d.getUTCDate() + ((day - iso + 7) % 7));
  return d.toISOString().slice(0, 10);
}

export function isoWeekday(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

/** A complete VCALENDAR: CRLF line endings, folded lines, escaped text, DTSTAMP and UID on every event. */
export function renderCalendar(input: { name: string; events: CalendarEvent[]; now?: Date }): string {
  const now = input.now ?? new Date();
  const stamp = utcStamp(now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Registrar//Timetable 1.0//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.name)}`,
  ];
  const zones = new Map<string, { min: number; max: number }>();
  for (const e of input.events) {
    if (e.timezone === 'UTC') continue;
    const y0 = Number(e.date.slice(0, 4));
    const y1 = Number((e.weeklyUntil ?? e.date).slice(0, 4)) + (e.weeklyUntil === null ? 1 : 0);
    const z = zones.get(e.timezone) ?? { min: y0, max: y1 };
    zones.set(e.timezone, { min: Math.min(z.min, y0), max: Math.max(z.max, y1) });
  }
  for (const [tz, r] of zones) lines.push(...vtimezone(tz, r.min, r.max));
  for (const e of input.events) {
    const utc = e.timezone === 'UTC';
    const dt = (d: string, t: string) =>
      utc ? `:${localStamp(d, t)}Z` : `;TZID=${e.timezone}:${localStamp(d, t)}`;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART${dt(e.date, e.start)}`,
      `DTEND${dt(e.date, e.end)}`,
    );
    lines.push(`SUMMARY:${escapeText(e.summary)}`);
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.weeklyUntil !== undefined) {
      const byday = BYDAY[isoWeekday(e.date) - 1];
      const until = e.weeklyUntil ? `;UNTIL=${utcStamp(localToUtc(e.timezone, e.weeklyUntil, '23:59'))}` : '';
      lines.push(`RRULE:FREQ=WEEKLY;BYDAY=${byday}${until}`);
      for (const x of [...new Set(e.exdates ?? [])].sort()) lines.push(`EXDATE${dt(x, e.start)}`);
    }
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
