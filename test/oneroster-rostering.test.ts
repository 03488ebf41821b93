import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { classes, teachingAssignments } from '../src/modules/classes/index.js';
import { enrollments } from '../src/modules/enrollments/index.js';
import { guardians } from '../src/modules/students/index.js';
import { type App, buildTestApp } from './helpers/app.js';
import { clientToken, makeOneRosterWorld, orGet, ROSTER, SCOPE } from './helpers/oneroster.js';

type World = Awaited<ReturnType<typeof makeOneRosterWorld>>;

/** The binding's error payload with the expected code minor (and the Registrar envelope beside it). */
function expectImsx(res: { statusCode: number; data: any; body: string }, status: number, minor: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.data.imsx_codeMajor, 'failure', res.body);
  assert.equal(res.data.imsx_severity, 'error');
  assert.equal(typeof res.data.imsx_description, 'string');
  assert.equal(res.data.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, minor, res.body);
  assert.equal(typeof res.data.error.request_id, 'string');
}

const ids = (list: Array<{ sourcedId?: string }>) => list.map((x) => String(x.sourcedId)).sort();

describe('OneRoster rostering', () => {
  let app: App;
  let w: World;
  let tokenA: string; // school A, every scope
  let tokenNoDemo: string; // school A, roster only
  let tokenCore: string; // school A, roster-core only
  let tokenDistrict: string;

  before(async () => {
    app = await buildTestApp();
    w = await makeOneRosterWorld(app);
    tokenA = (await clientToken(app, w.admin.token, w.a.school.id)).token;
    tokenNoDemo = (await clientToken(app, w.admin.token, w.a.school.id, [SCOPE.rosterCore, SCOPE.roster]))
      .token;
    tokenCore = (await clientToken(app, w.admin.token, w.a.school.id, [SCOPE.rosterCore])).token;
    tokenDistrict = (await clientToken(app, w.admin.token, w.district.id)).token;
  });
  after(() => app.close());

  test('a client of school A sees only school A', async () => {
    const orgs = await orGet(app, tokenA, `${ROSTER}/orgs`);
    assert.equal(orgs.statusCode, 200, orgs.body);
    assert.deepEqual(ids(orgs.data.orgs), [w.a.school.id]);
    const users = await orGet(app, tokenA, `${ROSTER}/users`);
    const expected = [...w.a.students.map((s) => s.id), w.a.teacher.id, w.a.parent.id].sort();
    assert.deepEqual(ids(users.data.users), expected);
    assert.equal(users.headers['x-total-count'], '6');
    for (const s of w.b.students) {
      expectImsx(await orGet(app, tokenA, `${ROSTER}/users/${s.id}`), 404, 'unknownobject');
      expectImsx(await orGet(app, tokenA, `${ROSTER}/students/${s.id}`), 404, 'unknownobject');
    }
    expectImsx(await orGet(app, tokenA, `${ROSTER}/classes/${w.b.cls.id}`), 404, 'unknownobject');
    expectImsx(await orGet(app, tokenA, `${ROSTER}/schools/${w.b.school.id}/classes`), 404, 'unknownobject');
    expectImsx(await orGet(app, tokenA, `${ROSTER}/classes/${w.b.cls.id}/students`), 404, 'unknownobject');
    const enr = await orGet(app, tokenA, `${ROSTER}/enrollments`, { limit: 5000 });
    assert.ok(enr.data.enrollments.every((e: any) => e.school.sourcedId === w.a.school.id));
  });

  test('a record has the binding shape with GUID references', async () => {
    const s = w.a.students[0];
    const res = await orGet(app, tokenA, `${ROSTER}/students/${s.id}`);
    assert.equal(res.statusCode, 200, res.body);
    const u = res.data.user;
    assert.equal(u.sourcedId, s.id);
    assert.equal(u.status, 'active');
    assert.match(u.dateLastModified, /^\d{4}-\d{2}-\d{2}T.*Z$/);
    assert.equal(u.givenName, 'Anna');
    assert.equal(u.enabledUser, 'true');
    assert.equal(u.roles[0].role, 'student');
    assert.equal(u.roles[0].org.sourcedId, w.a.school.id);
    assert.equal(u.roles[0].org.type, 'org');
    assert.match(u.roles[0].org.href, new RegExp(`/ims/oneroster/rostering/v1p2/orgs/${w.a.school.id}$`));
    assert.deepEqual(
      u.agents.map((x: any) => x.sourcedId),
      [w.a.parent.id],
    );
    assert.equal(u.password, undefined);
    const cls = (await orGet(app, tokenA, `${ROSTER}/classes/${w.a.cls.id}`)).data.class;
    assert.equal(cls.course.sourcedId, w.a.course.id);
    assert.equal(cls.school.sourcedId, w.a.school.id);
    assert.deepEqual(
      cls.terms.map((t: any) => t.sourcedId),
      [w.a.term.id],
    );
    assert.equal(cls.classType, 'scheduled');
    const term = (await orGet(app, tokenA, `${ROSTER}/terms/${w.a.term.id}`)).data.academicSession;
    assert.equal(term.type, 'term');
    assert.equal(term.parent.sourcedId, w.a.year.id);
    assert.deepEqual(
      term.children.map((t: any) => t.sourcedId),
      [w.a.period.id],
    );
    assert.equal(term.schoolYear, '2026');
  });

  test('filter: AND, OR, contains (~), dates, enums', async () => {
    const q = async (filter: string, path = 'users') => {
      const r = await orGet(app, tokenA, `${ROSTER}/${path}`, { filter, limit: 5000 });
      assert.equal(r.statusCode, 200, r.body);
      return r.data[path] as Array<{ sourcedId: string; givenName?: string }>;
    };
    const [anna, bruno] = w.a.students;
    assert.deepEqual(ids(await q("role='student' AND givenName='Anna'")), [anna.id]);
    assert.deepEqual(ids(await q("givenName='Anna' OR givenName='Bruno'")), [anna.id, bruno.id].sort());
    // AND binds tighter than OR: (student and Anna) or (Bruno)
    assert.deepEqual(
      ids(await q("role='student' AND givenName='Anna' OR givenName='Bruno'")),
      [anna.id, bruno.id].sort(),
    );
    assert.equal((await q("familyName~'afamily'")).length, 4);
    assert.equal((await q("familyName~'AFAMILY' AND givenName!='Anna'")).length, 3);
    assert.equal((await q("dateLastModified>'2000-01-01T00:00:00Z'")).length, 6);
    assert.equal((await q("dateLastModified>'2999-01-01T00:00:00Z'")).length, 0);
    assert.equal((await q("dateLastModified<='2999-01-01'")).length, 6);
    assert.equal((await q("status='active'", 'enrollments')).length, 5);
    assert.equal((await q("role='teacher'", 'enrollments')).length, 1);
    assert.equal((await q("startDate>='2026-08-15' AND type='gradingPeriod'", 'academicSessions')).length, 1);
  });

  test('filter: a malicious value is only a value; bad filters answer invalid_filter_field', async () => {
    for (const filter of [
      "familyName='x'' OR 1=1 --'",
      "givenName='Anna'' OR ''1''=''1'",
      "email~'%'' OR 1=1 --'",
    ]) {
      const r = await orGet(app, tokenA, `${ROSTER}/users`, { filter });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.data.users.length, 0, filter);
    }
    for (const filter of [
      "givenName=' OR 1=1 --",
      "password='x'",
      "givenName='Anna' AND",
      "givenName='Anna' XOR givenName='Bruno'",
      'givenName=Anna',
      "dateLastModified>'yesterday'",
      "status='gone'",
      "1=1 OR givenName='x'",
    ]) {
      expectImsx(await orGet(app, tokenA, `${ROSTER}/users`, { filter }), 400, 'invalid_filter_field');
    }
  });

  test('fields selects; unknown fields answer invalid_selection_field', async () => {
    const r = await orGet(app, tokenA, `${ROSTER}/students`, { fields: 'sourcedId,givenName' });
    assert.equal(r.statusCode, 200, r.body);
    for (const u of r.data.users) assert.deepEqual(Object.keys(u).sort(), ['givenName', 'sourcedId']);
    const one = await orGet(app, tokenA, `${ROSTER}/students/${w.a.students[1].id}`, {
      fields: 'familyName',
    });
    assert.deepEqual(one.data.user, { familyName: 'AFamily1' });
    expectImsx(
      await orGet(app, tokenA, `${ROSTER}/students`, { fields: 'sourcedId,secret' }),
      400,
      'invalid_selection_field',
    );
  });

  test('sort and orderBy; unknown sort fields answer 400', async () => {
    const r = await orGet(app, tokenA, `${ROSTER}/students`, { sort: 'familyName', orderBy: 'desc' });
    assert.deepEqual(
      r.data.users.map((u: any) => u.familyName),
      ['AFamily3', 'AFamily2', 'AFamily1', 'AFamily0'],
    );
    const asc = await orGet(app, tokenA, `${ROSTER}/students`, { sort: 'givenName' });
    assert.deepEqual(
      asc.data.users.map((u: any) => u.givenName),
      ['Anna', 'Bruno', 'Carla', 'Dmitri'],
    );
    expectImsx(await orGet(app, tokenA, `${ROSTER}/students`, { sort: 'password' }), 400, 'invaliddata');
    expectImsx(await orGet(app, tokenA, `${ROSTER}/students`, { orderBy: 'sideways' }), 400, 'invaliddata');
  });

  test('limit and offset with X-Total-Count and Link', async () => {
    const p1 = await orGet(app, tokenA, `${ROSTER}/students`, { limit: 3, offset: 0, sort: 'familyName' });
    assert.equal(p1.data.users.length, 3);
    assert.equal(p1.headers['x-total-count'], '4');
    const link = String(p1.headers.link);
    assert.match(link, /offset=3[^>]*>; rel="next"/);
    assert.match(link, /offset=0[^>]*>; rel="first"/);
    assert.match(link, /offset=3[^>]*>; rel="last"/);
    assert.doesNotMatch(link, /rel="prev"/);
    const p2 = await orGet(app, tokenA, `${ROSTER}/students`, { limit: 3, offset: 3, sort: 'familyName' });
    assert.deepEqual(
      p2.data.users.map((u: any) => u.familyName),
      ['AFamily3'],
    );
    assert.match(String(p2.headers.link), /offset=0[^>]*>; rel="prev"/);
    assert.doesNotMatch(String(p2.headers.link), /rel="next"/);
    expectImsx(await orGet(app, tokenA, `${ROSTER}/students`, { limit: 0 }), 400, 'invaliddata');
    expectImsx(await orGet(app, tokenA, `${ROSTER}/students`, { offset: -1 }), 400, 'invaliddata');
    expectImsx(await orGet(app, tokenA, `${ROSTER}/students`, { unknown: 1 }), 400, 'invaliddata');
  });

  test('nested collections', async () => {
    const get = async (path: string, key: string) => {
      const r = await orGet(app, tokenA, `${ROSTER}${path}`);
      assert.equal(r.statusCode, 200, `${path}: ${r.body}`);
      return ids(r.data[key]);
    };
    const studentIds = w.a.students.map((s) => s.id).sort();
    assert.deepEqual(await get(`/classes/${w.a.cls.id}/students`, 'users'), studentIds);
    assert.deepEqual(await get(`/classes/${w.a.cls.id}/teachers`, 'users'), [w.a.teacher.id]);
    assert.deepEqual(await get(`/schools/${w.a.school.id}/classes`, 'classes'), [w.a.cls.id]);
    assert.deepEqual(await get(`/schools/${w.a.school.id}/students`, 'users'), studentIds);
    assert.deepEqual(await get(`/schools/${w.a.school.id}/teachers`, 'users'), [w.a.teacher.id]);
    assert.deepEqual(await get(`/schools/${w.a.school.id}/courses`, 'courses'), [w.a.course.id]);
    assert.deepEqual(await get(`/schools/${w.a.school.id}/terms`, 'academicSessions'), [w.a.term.id]);
    assert.equal((await get(`/schools/${w.a.school.id}/enrollments`, 'enrollments')).length, 5);
    assert.equal(
      (await get(`/schools/${w.a.school.id}/classes/${w.a.cls.id}/enrollments`, 'enrollments')).length,
      5,
    );
    assert.deepEqual(
      await get(`/schools/${w.a.school.id}/classes/${w.a.cls.id}/students`, 'users'),
      studentIds,
    );
    assert.deepEqual(await get(`/schools/${w.a.school.id}/classes/${w.a.cls.id}/teachers`, 'users'), [
      w.a.teacher.id,
    ]);
    assert.deepEqual(await get(`/courses/${w.a.course.id}/classes`, 'classes'), [w.a.cls.id]);
    assert.deepEqual(await get(`/terms/${w.a.term.id}/classes`, 'classes'), [w.a.cls.id]);
    assert.deepEqual(await get(`/terms/${w.a.term.id}/gradingPeriods`, 'academicSessions'), [w.a.period.id]);
    assert.deepEqual(await get(`/users/${w.a.students[0].id}/classes`, 'classes'), [w.a.cls.id]);
    assert.deepEqual(await get(`/students/${w.a.students[0].id}/classes`, 'classes'), [w.a.cls.id]);
    assert.deepEqual(await get(`/teachers/${w.a.teacher.id}/classes`, 'classes'), [w.a.cls.id]);
    assert.deepEqual(await get(`/users/${w.a.teacher.id}/classes`, 'classes'), [w.a.cls.id]);
    expectImsx(
      await orGet(app, tokenA, `${ROSTER}/teachers/${w.a.students[0].id}/classes`),
      404,
      'unknownobject',
    );
    expectImsx(await orGet(app, tokenA, `${ROSTER}/classes/not-a-uuid/students`), 404, 'unknownobject');
  });

  test('scopes: demographics need their own scope, people need roster', async () => {
    const d = await orGet(app, tokenA, `${ROSTER}/demographics`);
    assert.equal(d.statusCode, 200, d.body);
    assert.equal(d.data.demographics.length, 4);
    const anna = d.data.demographics.find((x: any) => x.sourcedId === w.a.students[0].id);
    assert.deepEqual([anna.birthDate, anna.sex], ['2012-01-15', 'female']);
    expectImsx(await orGet(app, tokenNoDemo, `${ROSTER}/demographics`), 403, 'forbidden');
    expectImsx(
      await orGet(app, tokenNoDemo, `${ROSTER}/demographics/${w.a.students[0].id}`),
      403,
      'forbidden',
    );
    assert.equal((await orGet(app, tokenCore, `${ROSTER}/classes`)).statusCode, 200);
    expectImsx(await orGet(app, tokenCore, `${ROSTER}/users`), 403, 'forbidden');
    expectImsx(await orGet(app, tokenCore, `${ROSTER}/enrollments`), 403, 'forbidden');
  });

  test('401 without a client token, with a user token or a forged one', async () => {
    const none = await orGet(app, '', `${ROSTER}/orgs`);
    expectImsx(none, 401, 'unauthorisedrequest');
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    expectImsx(await orGet(app, w.admin.token, `${ROSTER}/orgs`), 401, 'unauthorisedrequest');
    expectImsx(await orGet(app, `${tokenA.slice(0, -4)}AAAA`, `${ROSTER}/orgs`), 401, 'unauthorisedrequest');
    // And a client token is no user token.
    const r = await orGet(app, tokenA, '/api/v1/auth/me');
    assert.equal(r.statusCode, 401);
  });

  test('School Data Sync: full sync with status=active, then a delta with a deletion', async () => {
    const sds = async (path: string, filter: string) => {
      const r = await orGet(app, tokenDistrict, `${ROSTER}/${path}`, { offset: 0, limit: 5000, filter });
      assert.equal(r.statusCode, 200, `${path}: ${r.body}`);
      return r.data[path] as Array<Record<string, any>>;
    };
    const active = "status='active'";
    const sessions = await sds('academicSessions', active);
    assert.deepEqual(
      ids(sessions),
      [w.a.year, w.a.term, w.a.period, w.b.year, w.b.term, w.b.period].map((s) => s.id).sort(),
    );
    assert.deepEqual(ids(await sds('orgs', active)), [w.district.id, w.a.school.id, w.b.school.id].sort());
    const everyone = [w.a, w.b].flatMap((s) => [...s.students.map((x) => x.id), s.teacher.id, s.parent.id]);
    assert.deepEqual(ids(await sds('users', active)), everyone.sort());
    assert.deepEqual(ids(await sds('classes', active)), [w.a.cls.id, w.b.cls.id].sort());
    const enrolled = await sds('enrollments', active);
    assert.equal(enrolled.length, 4 + 1 + 2 + 1);
    const annaEnrollment = enrolled.find((e) => e.user.sourcedId === w.a.students[0].id)!;
    assert.deepEqual([annaEnrollment.role, annaEnrollment.class.sourcedId], ['student', w.a.cls.id]);

    await new Promise((r) => setTimeout(r, 20));
    const delta = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const db = app.deps.db;
    const dropped = w.a.students[3];
    await db
      .update(enrollments)
      .set({ status: 'dropped', droppedAt: new Date(), updatedAt: new Date() })
      .where(eq(enrollments.id, dropped.enrollmentId));
    await db
      .update(classes)
      .set({ name: 'B Algebra One', updatedAt: new Date() })
      .where(eq(classes.id, w.b.cls.id));
    await db.delete(teachingAssignments).where(eq(teachingAssignments.classId, w.b.cls.id));
    await db.delete(guardians).where(eq(guardians.id, w.b.parent.id));

    const changed = `dateLastModified>'${delta}'`;
    assert.deepEqual(await sds('academicSessions', changed), []);
    assert.deepEqual(await sds('orgs', changed), []);
    const users = await sds('users', changed);
    assert.deepEqual(
      users.map((u) => [u.sourcedId, u.status]),
      [[w.b.parent.id, 'tobedeleted']],
    );
    const cls = await sds('classes', changed);
    assert.deepEqual(
      cls.map((c) => [c.sourcedId, c.title]),
      [[w.b.cls.id, 'B Algebra One']],
    );
    const enr = await sds('enrollments', changed);
    const byRole = Object.fromEntries(enr.map((e) => [e.role, e]));
    assert.equal(enr.length, 2);
    assert.deepEqual(
      [byRole.student.sourcedId, byRole.student.status],
      [dropped.enrollmentId, 'tobedeleted'],
    );
    assert.deepEqual([byRole.teacher.status, byRole.teacher.user.sourcedId], ['tobedeleted', w.b.teacher.id]);
    // The full active sync no longer lists what went away.
    assert.equal((await sds('enrollments', active)).length, 6);
    assert.ok(!ids(await sds('users', active)).includes(w.b.parent.id));
    // A school A client does not see school B's tombstones.
    const aDelta = await orGet(app, tokenA, `${ROSTER}/users`, { filter: changed });
    assert.deepEqual(aDelta.data.users, []);
  });

  test('deleting a class leaves tombstones of the class and of its teacher enrollment', async () => {
    const db = app.deps.db;
    const [cls] = await db
      .insert(classes)
      .values({ organizationId: w.a.school.id, name: 'Short-lived', courseId: w.a.course.id })
      .returning();
    const [ta] = await db
      .insert(teachingAssignments)
      .values({ classId: cls.id, facultyId: w.a.teacher.id })
      .returning();
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await db.delete(classes).where(eq(classes.id, cls.id));
    const filter = `dateLastModified>'${since}'`;
    const gone = await orGet(app, tokenA, `${ROSTER}/classes`, { filter });
    assert.deepEqual(
      gone.data.classes.map((c: any) => [c.sourcedId, c.status]),
      [[cls.id, 'tobedeleted']],
    );
    const enr = await orGet(app, tokenA, `${ROSTER}/enrollments`, { filter });
    assert.deepEqual(
      enr.data.enrollments.map((e: any) => [e.sourcedId, e.status, e.role]),
      [[ta.id, 'tobedeleted', 'teacher']],
    );
    // The record itself still answers, as tobedeleted (like a soft-deleted student).
    const one = await orGet(app, tokenA, `${ROSTER}/classes/${cls.id}`);
    assert.deepEqual([one.statusCode, one.data.class.status], [200, 'tobedeleted']);
    expectImsx(await orGet(app, tokenNoDemo, `${ROSTER}/classes/${w.b.cls.id}`), 404, 'unknownobject');
  });
});
