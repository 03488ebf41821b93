import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { makeAssessment, makeGradesWorld } from './helpers/grades.js';

const V = '/api/v1';

describe('grades: concurrent whole-class marks entry', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeGradesWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeGradesWorld(app, isPostgres() ? 80 : 12);
  });
  after(() => app.close());

  it('writers of one class listing the students in opposite orders never deadlock, lose no write, and every change is audited from its real old value', async () => {
    const ids = w.students.map((s) => s.id);
    const rounds = isPostgres() ? 6 : 2;
    for (let r = 0; r < rounds; r++) {
      // A fresh assessment each round: the first writes insert the marks (the riskiest path), the later ones
      // update them. Both writers list every student; one ascending, one descending.
      const aid = await makeAssessment(app, w.teacher.token, { class_id: w.cls.id, max_marks: 100 });
      const body = (order: string[], k: number) => ({
        marks: order.map((id) => ({ student_id: id, marks: (ids.indexOf(id) + k) % 100 })),
      });
      const post = (x: { order: string[]; k: number }) =>
        call(app, 'POST', `${V}/assessments/${aid}/marks`, {
          token: x.k % 2 ? w.teacher.token : w.admin.token,
          body: body(x.order, x.k),
        });
      const auditIds = async () =>
        (
          (
            await app.deps.db.execute(
              sql`select id from audit_logs where entity_type = 'assessment' and entity_id = ${aid}
                    and action = 'marks.write'`,
            )
          ).rows as Array<{ id: string }>
        ).map((a) => a.id);
      // Creation: two writers insert the whole class at once, in opposite orders.
      const created = await Promise.all([
        post({ order: ids, k: 1 }),
        post({ order: [...ids].reverse(), k: 2 }),
      ]);
      for (const res of created) expectStatus(res, 200);
      assert.equal(created[0].data.data.created + created[1].data.data.created, ids.length);
      const before = new Set(await auditIds());
      const writes = Array.from({ length: 6 }, (_, i) => ({
        order: i % 2 ? [...ids].reverse() : ids,
        k: 3 + i,
      }));
      const results = await Promise.all(writes.map(post));
      for (const res of results) expectStatus(res, 200);
      // Every mark was inserted once and then updated by each later write: version = number of writes.
      const rows = (
        await app.deps.db.execute(
          sql`select student_id, marks::float8 as marks, version from assessment_marks where assessment_id = ${aid}`,
        )
      ).rows as Array<{ student_id: string; marks: number; version: number }>;
      assert.equal(rows.length, ids.length);
      for (const m of rows) assert.equal(Number(m.version), 2 + writes.length, `version of ${m.student_id}`);
      for (const res of results)
        assert.deepEqual([res.data.data.created, res.data.data.updated], [0, ids.length]);
      // The audit trail of each student chains: each update's "from" is the value it really replaced (the
      // previous write's "to", not what its snapshot saw), and the last "to" is the stored value.
      const audits = (
        (
          await app.deps.db.execute(
            sql`select id, after from audit_logs where entity_type = 'assessment' and entity_id = ${aid}
                  and action = 'marks.write'`,
          )
        ).rows as Array<{ id: string; after: unknown }>
      ).filter((a) => !before.has(a.id));
      assert.equal(audits.length, writes.length);
      const stored = new Map((await auditIds()).map((id) => [id, true]));
      assert.equal(stored.size, 2 + writes.length);
      type Change = {
        student_id: string;
        from: { marks: number; state: string } | null;
        to: { marks: number; state: string };
      };
      const changes = audits.flatMap(
        (a) =>
          ((typeof a.after === 'string' ? JSON.parse(a.after) : a.after) as { changes: Change[] }).changes,
      );
      for (const m of rows) {
        const mine = changes.filter((c) => c.student_id === m.student_id);
        assert.equal(mine.length, writes.length, `audited changes of ${m.student_id}`);
        assert.equal(mine.filter((c) => c.from === null || c.to.state !== 'scored').length, 0);
        // Each "from" but one is the "to" of another update: the values form one chain.
        const tos = new Set(mine.map((c) => Number(c.to.marks)));
        const heads = mine.filter((c) => !tos.has(Number(c.from!.marks)));
        assert.equal(heads.length, 1, `one first update of ${m.student_id}`);
        let cur = heads[0];
        const rest = mine.filter((c) => c !== cur);
        while (rest.length) {
          const i = rest.findIndex((c) => Number(c.from?.marks) === Number(cur.to.marks));
          assert.ok(i >= 0, `a change of ${m.student_id} starts from ${cur.to.marks}`);
          cur = rest.splice(i, 1)[0];
        }
        assert.equal(Number(cur.to.marks), m.marks, 'the last change is the stored value');
      }
    }
  });
});
