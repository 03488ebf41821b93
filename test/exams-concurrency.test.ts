import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { enrollDirect, makeClass, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, isPostgres } from './helpers/app.js';
import { makeExamsWorld, makeVenue, postEntry } from './helpers/exams.js';

/**
 * Two administrators place conflicting papers at the same moment. On PostgreSQL the requests run on separate
 * pool connections, so without the day lock both clash checks would pass; on PGlite (one connection) the
 * test still checks the outcome.
 */
describe(`exam timetable under concurrent writes (${isPostgres() ? 'PostgreSQL' : 'PGlite'})`, () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeExamsWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeExamsWorld(app, 1);
  });
  after(() => app.close());

  const rounds = 6;

  it('should let exactly one of two entries sharing a student through', async () => {
    for (let i = 0; i < rounds; i++) {
      const s = await makeStudent(app, w.org, { firstName: `Both${i}` });
      const a = await makeClass(app, w.org, { name: `Race-A${i}` });
      const b = await makeClass(app, w.org, { name: `Race-B${i}` });
      await enrollDirect(app, s.id, a);
      await enrollDirect(app, s.id, b);
      const date = `2026-12-${String(2 + i).padStart(2, '0')}`;
      const [ra, rb] = await Promise.all(
        [a, b].map((c) =>
          postEntry(app, w.admin.token, {
            exam_schedule_id: w.schedule,
            class_id: c.id,
            venue: 'Main Hall',
            date,
          }),
        ),
      );
      const codes = [ra.statusCode, rb.statusCode].sort();
      assert.deepEqual(codes, [201, 409], `round ${i}: ${ra.body} / ${rb.body}`);
      const loser = ra.statusCode === 409 ? ra : rb;
      assert.equal(loser.data.error.code, 'exam_clash');
      assert.equal(loser.data.error.details[0].student_id, s.id);
    }
  });

  it('should let exactly one of two entries that together overfill a venue through', async () => {
    await makeVenue(app, w.admin.token, { name: 'Booth', capacity: 3 });
    for (let i = 0; i < rounds; i++) {
      const classes = [];
      for (const side of ['L', 'R']) {
        const c = await makeClass(app, w.org, { name: `Seat-${side}${i}` });
        for (let k = 0; k < 2; k++) await enrollDirect(app, (await makeStudent(app, w.org)).id, c);
        classes.push(c);
      }
      const date = `2026-12-${String(10 + i).padStart(2, '0')}`;
      const res = await Promise.all(
        classes.map((c) =>
          postEntry(app, w.admin.token, {
            exam_schedule_id: w.schedule,
            class_id: c.id,
            venue: 'Booth',
            date,
          }),
        ),
      );
      assert.deepEqual(res.map((r) => r.statusCode).sort(), [201, 409], res.map((r) => r.body).join(' / '));
    }
    const { rows } = await app.deps.db.execute(sql`
      select x.exam_date::text as d, count(*)::int as n from exam_timetable_entries x
        join exam_venues v on v.id = x.venue_id where v.organization_id = ${w.org.id} and v.name = 'Booth'
       group by x.exam_date`);
    assert.equal(rows.length, rounds);
    for (const r of rows as Array<{ n: number }>) assert.equal(r.n, 1);
  });
});
