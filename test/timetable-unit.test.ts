import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectConflicts, type Placement } from '../src/modules/timetable/timetable-conflicts.js';
import {
  escapeText,
  firstOnOrAfter,
  foldLine,
  localToUtc,
  offsetMinutes,
  renderCalendar,
} from '../src/modules/timetable/timetable-ical.js';
import { validateICalendar } from './helpers/ical-validator.js';

const base = (over: Partial<Placement>): Placement => ({
  ref: { source: 'batch', index: 0 },
  classId: 'c1',
  slotId: 's1',
  organizationId: 'o1',
  roomNo: 'R1',
  day: 1,
  start: '09:00',
  end: '10:00',
  from: '2026-01-01',
  to: null,
  teacherIds: [],
  studentIds: [],
  ...over,
});

describe('timetable conflict detection (pure)', () => {
  it('reports room, teacher and student-group clashes in the batch and against existing, each with its target', () => {
    const existing = [
      base({
        ref: { source: 'existing', schedule_id: 'x1' },
        classId: 'e1',
        roomNo: 'r1 ',
        teacherIds: ['t9'],
      }),
    ];
    const batch = [
      base({
        ref: { source: 'batch', index: 0 },
        classId: 'a',
        roomNo: 'R1',
        teacherIds: ['t1'],
        studentIds: ['s1', 's2'],
      }),
      base({
        ref: { source: 'batch', index: 1 },
        classId: 'b',
        roomNo: 'R2',
        start: '09:30',
        end: '10:30',
        teacherIds: ['t1', 't9'],
        studentIds: ['s2'],
      }),
      base({ ref: { source: 'batch', index: 2 }, classId: 'c', roomNo: 'R1', start: '10:00', end: '11:00' }), // touches, no overlap
      base({ ref: { source: 'batch', index: 3 }, classId: 'd', roomNo: 'R1', day: 2 }),
    ];
    const got = detectConflicts(batch, existing).map((c) => [
      c.index,
      c.type,
      c.clashes_with.source === 'existing'
        ? c.clashes_with.schedule_id
        : c.clashes_with.source === 'batch'
          ? c.clashes_with.index
          : c.clashes_with.reschedule_id,
    ]);
    assert.deepEqual(got, [
      [0, 'room', 'x1'],
      [1, 'teacher', 'x1'],
      [1, 'teacher', 0],
      [1, 'student_group', 0],
    ]);
  });

  it('ignores other organizations for rooms, non-overlapping dates, and flags the same class twice', () => {
    const existing = [
      base({ ref: { source: 'existing', schedule_id: 'x' }, organizationId: 'o2' }),
      base({ ref: { source: 'existing', schedule_id: 'y' }, classId: 'z', to: '2025-12-31' }),
    ];
    assert.deepEqual(detectConflicts([base({ classId: 'q' })], existing), []);
    const twice = detectConflicts([base({}), base({ ref: { source: 'batch', index: 1 }, roomNo: 'R5' })], []);
    assert.deepEqual(
      twice.map((c) => c.type),
      ['class'],
    );
  });
});

describe('iCalendar rendering (pure)', () => {
  it('escapes TEXT and folds at 75 octets without splitting UTF-8', () => {
    assert.equal(escapeText('a,b;c\\d\ne'), 'a\\,b\\;c\\\\d\\ne');
    const long = `SUMMARY:${'é'.repeat(60)}`;
    const folded = foldLine(long);
    for (const l of folded.split('\r\n')) assert.ok(Buffer.byteLength(l) <= 75);
    assert.equal(
      folded
        .split('\r\n')
        .map((l, i) => (i ? l.slice(1) : l))
        .join(''),
      long,
    );
  });

  it('knows offsets and weekdays', () => {
    assert.equal(offsetMinutes('Asia/Kolkata', Date.UTC(2026, 0, 1)), 330);
    assert.equal(offsetMinutes('America/New_York', Date.UTC(2026, 6, 1)), -240);
    assert.equal(
      localToUtc('Europe/London', '2026-07-01', '09:00').toISOString(),
      '2026-07-01T08:00:00.000Z',
    );
    assert.equal(firstOnOrAfter('2026-09-01', 1), '2026-09-07'); // Tue → next Monday
    assert.equal(firstOnOrAfter('2026-09-07', 1), '2026-09-07');
  });

  it('renders a valid feed with VTIMEZONE, RRULE, EXDATE and a moved meeting', () => {
    const ics = renderCalendar({
      name: 'Ava, Grade 10; Fall',
      now: new Date('2026-08-01T12:00:00Z'),
      events: [
        {
          uid: 'schedule-1@registrar',
          summary:
            'MATH-101 Algebra, Section A; room change soon — a very long title that needs folding for sure',
          location: 'B-204',
          description: 'lecture\nbring calculators',
          timezone: 'America/New_York',
          date: '2026-09-07',
          start: '09:00',
          end: '09:50',
          weeklyUntil: '2026-12-18',
          exdates: ['2026-10-12', '2026-11-23'],
        },
        {
          uid: 'reschedule-2@registrar',
          summary: 'MATH-101 (moved)',
          timezone: 'America/New_York',
          date: '2026-11-24',
          start: '14:00',
          end: '14:50',
        },
        {
          uid: 'schedule-3@registrar',
          summary: 'UTC class',
          timezone: 'UTC',
          date: '2026-09-08',
          start: '08:00',
          end: '09:00',
          weeklyUntil: null,
        },
      ],
    });
    const { events } = validateICalendar(ics);
    assert.equal(events.length, 3);
    assert.equal(events[0].one('RRULE'), 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20261219T045900Z');
    assert.deepEqual(
      events[0].get('EXDATE').map((p) => p.value),
      ['20261012T090000', '20261123T090000'],
    );
    assert.equal(events[0].get('DTSTART')[0].params.TZID, 'America/New_York');
    assert.equal(events[2].one('DTSTART'), '20260908T080000Z');
    assert.match(ics, /BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400/);
    assert.match(ics, /BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500/);
  });
});
