import assert from 'node:assert/strict';

/**
 * A strict RFC 5545 checker for our feeds: CRLF only, lines ≤ 75 octets, folding with one leading space,
 * `name *(;param) : value` syntax, balanced BEGIN/END, required properties (VERSION, PRODID; UID, DTSTAMP,
 * DTSTART per VEVENT), DATE-TIME shapes, TZIDs that have a VTIMEZONE, and TEXT values with no bare , ; \.
 * Returns the unfolded components for further assertions.
 */
export function validateICalendar(text: string) {
  assert.ok(text.endsWith('\r\n'), 'ends with CRLF');
  assert.ok(!/(?<!\r)\n/.test(text), 'every line break is CRLF');
  assert.ok(!/\r(?!\n)/.test(text), 'no bare CR');
  const physical = text.slice(0, -2).split('\r\n');
  for (const l of physical) assert.ok(Buffer.byteLength(l) <= 75, `line longer than 75 octets: ${l}`);
  const lines: string[] = [];
  for (const l of physical) {
    if (l.startsWith(' ') || l.startsWith('\t')) {
      assert.ok(lines.length, 'continuation without a line');
      lines[lines.length - 1] += l.slice(1);
    } else lines.push(l);
  }
  const NAME = /^[A-Za-z0-9-]+/;
  const stack: string[] = [];
  type Comp = { name: string; props: Array<{ name: string; params: Record<string, string>; value: string }> };
  const comps: Comp[] = [];
  const tzids = new Set<string>();
  const usedTz = new Set<string>();
  for (const line of lines) {
    const m = NAME.exec(line);
    assert.ok(m, `bad content line: ${line}`);
    const name = m[0].toUpperCase();
    let rest = line.slice(m[0].length);
    const params: Record<string, string> = {};
    while (rest.startsWith(';')) {
      const pm = /^;([A-Za-z0-9-]+)=("[^"]*"|[^";:,]*)/.exec(rest);
      assert.ok(pm, `bad parameter in: ${line}`);
      params[pm[1].toUpperCase()] = pm[2];
      rest = rest.slice(pm[0].length);
    }
    assert.ok(rest.startsWith(':'), `missing ':' in: ${line}`);
    const value = rest.slice(1);
    const ctl = [...value].some((ch) => {
      const c = ch.charCodeAt(0);
      return (c < 32 && c !== 9) || c === 127;
    });
    assert.ok(!ctl, `control character in: ${line}`);
    if (name === 'BEGIN') {
      stack.push(value);
      comps.push({ name: value, props: [] });
      continue;
    }
    if (name === 'END') {
      assert.equal(stack.pop(), value, `END:${value} does not close the open component`);
      continue;
    }
    assert.ok(stack.length, `property outside a component: ${line}`);
    const comp = [...comps].reverse().find((c) => c.name === stack[stack.length - 1])!;
    comp.props.push({ name, params, value });
    if (name === 'TZID' && stack[stack.length - 1] === 'VTIMEZONE') tzids.add(value);
    if (params.TZID) usedTz.add(params.TZID);
    if (
      ['DTSTART', 'DTEND', 'EXDATE', 'RECURRENCE-ID'].includes(name) &&
      stack[stack.length - 1] === 'VEVENT'
    ) {
      const re = params.TZID ? /^\d{8}T\d{6}$/ : /^\d{8}T\d{6}Z$/;
      for (const v of value.split(',')) assert.match(v, re, `${name} value ${v}`);
    }
    if (name === 'DTSTAMP') assert.match(value, /^\d{8}T\d{6}Z$/);
    if (['SUMMARY', 'LOCATION', 'DESCRIPTION', 'X-WR-CALNAME'].includes(name)) {
      assert.ok(!/(^|[^\\])(\\\\)*[;,]/.test(value), `unescaped ; or , in TEXT: ${value}`);
      assert.ok(!/\\[^\\;,nN]/.test(value), `bad escape in TEXT: ${value}`);
    }
    if (name === 'RRULE') {
      assert.match(value, /^FREQ=(WEEKLY|DAILY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+-]+)*$/);
      const until = /UNTIL=([^;]+)/.exec(value);
      if (until) assert.match(until[1], /^\d{8}T\d{6}Z$/);
    }
  }
  assert.equal(stack.length, 0, 'unclosed components');
  const cal = comps[0];
  assert.equal(cal.name, 'VCALENDAR');
  const has = (c: Comp, n: string) => c.props.filter((p) => p.name === n).length;
  assert.equal(has(cal, 'VERSION'), 1);
  assert.equal(cal.props.find((p) => p.name === 'VERSION')!.value, '2.0');
  assert.equal(has(cal, 'PRODID'), 1);
  const events = comps.filter((c) => c.name === 'VEVENT');
  const uids = new Set<string>();
  for (const e of events) {
    for (const req of ['UID', 'DTSTAMP', 'DTSTART']) assert.equal(has(e, req), 1, `VEVENT needs one ${req}`);
    const uid = e.props.find((p) => p.name === 'UID')!.value;
    assert.ok(!uids.has(uid), `duplicate UID ${uid}`);
    uids.add(uid);
  }
  for (const tz of usedTz) assert.ok(tzids.has(tz), `TZID ${tz} has no VTIMEZONE`);
  for (const z of comps.filter((c) => c.name === 'STANDARD' || c.name === 'DAYLIGHT')) {
    for (const req of ['DTSTART', 'TZOFFSETFROM', 'TZOFFSETTO']) assert.equal(has(z, req), 1);
  }
  const get = (e: Comp, n: string) => e.props.filter((p) => p.name === n);
  return {
    events: events.map((e) => ({ get: (n: string) => get(e, n), one: (n: string) => get(e, n)[0]?.value })),
  };
}
