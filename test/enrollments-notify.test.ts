import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import {
  assignTeacher,
  enrollDirect,
  makeClass,
  makeFaculty,
  makeParent,
  makeStudent,
} from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser, makeWorld } from './helpers/factories.js';

describe('class notifications (POST /classes/{id}/notifications)', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'school');
  });
  after(() => app.close());

  const send = (token: string | undefined, classId: string, body: unknown) =>
    call(app, 'POST', `/api/v1/classes/${classId}/notifications`, { token, body });
  const inbox = async (token: string) =>
    (await call(app, 'GET', '/api/v1/notifications', { token })).data.data.map(
      (n: { title: string }) => n.title,
    );

  it("reaches the class's enrolled students and their guardians, once each, with an audit row", async () => {
    const teacher = await makeFaculty(app, w.org);
    const cls = await makeClass(app, w.org, { name: 'Notify A' });
    const other = await makeClass(app, w.org, { name: 'Notify B' });
    await assignTeacher(app, teacher.id, cls.id);
    const [a, b, dropped, elsewhere] = await Promise.all([
      makeStudent(app, w.org, {}, { login: true }),
      makeStudent(app, w.org, {}, { login: true }),
      makeStudent(app, w.org, {}, { login: true }),
      makeStudent(app, w.org, {}, { login: true }),
    ]);
    const noLogin = await makeStudent(app, w.org);
    for (const s of [a, b, dropped, noLogin]) await enrollDirect(app, s.id, cls);
    await enrollDirect(app, elsewhere.id, other);
    await app.deps.db.execute(
      sql`update enrollments set status = 'dropped', dropped_at = now() where student_id = ${dropped.id}`,
    );
    // A student stored without a login has no inbox.
    await app.deps.db.execute(sql`update students set user_id = null where id = ${noLogin.id}`);
    // One guardian of two enrolled children gets it once; a guardian of the dropped student does not.
    const parent = await makeParent(app, w.org, [a.id, b.id]);
    const droppedParent = await makeParent(app, w.org, [dropped.id]);

    const res = await send(teacher.token, cls.id, { title: 'Field trip', body: 'Friday, bring lunch.' });
    expectStatus(res, 201);
    assert.equal(res.data.data.recipient_count, 3);
    assert.equal(res.data.data.include_guardians, true);
    for (const u of [a, b, parent]) assert.ok((await inbox(u.token)).includes('Field trip'));
    for (const u of [dropped, elsewhere, droppedParent])
      assert.ok(!(await inbox(u.token)).includes('Field trip'));
    const held = await app.deps.db.execute(sql`
      select n.target_audience, n.created_by, n.data->>'class_id' as class_id,
             (select count(*)::int from user_notifications un where un.notification_id = n.id) as recipients,
             (select count(*)::int from audit_logs l where l.entity_id = n.id::text and l.action = 'create') as audits
        from notifications n where n.id = ${res.data.data.id}`);
    assert.deepEqual(
      { ...(held.rows[0] as object) },
      { target_audience: 'class', created_by: teacher.userId, class_id: cls.id, recipients: 3, audits: 1 },
    );

    // Without the guardians: the two students only. A manager may send too.
    const admin = await send(w.admin.token, cls.id, {
      title: 'Students only',
      body: 'x',
      include_guardians: false,
    });
    expectStatus(admin, 201);
    assert.equal(admin.data.data.recipient_count, 2);
    assert.ok(!(await inbox(parent.token)).includes('Students only'));
  });

  it('answers 400, 401, 403 and 404 (another class, another tenant)', async () => {
    const teacher = await makeFaculty(app, w.org);
    const mine = await makeClass(app, w.org);
    const notMine = await makeClass(app, w.org);
    const theirs = await makeClass(app, w.otherOrg);
    await assignTeacher(app, teacher.id, mine.id);
    const student = await makeStudent(app, w.org, {}, { login: true });
    const parent = await makeParent(app, w.org, [student.id]);
    const body = { title: 'Hello', body: 'World' };
    expectError(await send(teacher.token, mine.id, { ...body, extra: 1 }), 400);
    expectError(await send(teacher.token, mine.id, { title: '', body: 'x' }), 400);
    expectError(await send(teacher.token, 'nope', body), 400);
    expectError(await send(undefined, mine.id, body), 401);
    expectError(await send(student.token, mine.id, body), 403);
    expectError(await send(parent.token, mine.id, body), 403);
    expectError(await send((await makeUser(app, w.org, null)).token, mine.id, body), 403);
    expectError(await send(teacher.token, notMine.id, body), 404);
    expectError(await send(w.admin.token, theirs.id, body), 404);
    expectError(await send(teacher.token, '00000000-0000-4000-8000-000000000000', body), 404);
    const written = await app.deps.db.execute(
      sql`select count(*)::int as n from notifications where data->>'class_id' in (${notMine.id}, ${theirs.id})`,
    );
    assert.equal((written.rows[0] as { n: number }).n, 0);
  });
});
