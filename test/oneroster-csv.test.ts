import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { enrollments } from '../src/modules/enrollments/index.js';
import { type App, buildTestApp } from './helpers/app.js';
import { clientToken, makeOneRosterWorld, parseCsv, SCOPE, unzip } from './helpers/oneroster.js';

type World = Awaited<ReturnType<typeof makeOneRosterWorld>>;

describe('OneRoster CSV export', () => {
  let app: App;
  let w: World;
  let token: string;

  const download = async (t: string, query: Record<string, string> = {}) => {
    const res = await app.inject({
      method: 'GET',
      url: '/ims/oneroster/v1p2/csv',
      query,
      headers: t ? { authorization: `Bearer ${t}` } : {},
    });
    return res;
  };

  before(async () => {
    app = await buildTestApp();
    w = await makeOneRosterWorld(app);
    token = (await clientToken(app, w.admin.token, w.district.id)).token;
  });
  after(() => app.close());

  test('bulk: a 1.2 zip with the manifest and every rostering file of the subtree', async () => {
    const res = await download(token);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/zip');
    const files = unzip(res.rawPayload);
    const manifest = Object.fromEntries(
      parseCsv(files.get('manifest.csv')!).map((r) => [r.propertyName, r.value]),
    );
    assert.equal(manifest['manifest.version'], '1.0');
    assert.equal(manifest['oneroster.version'], '1.2');
    for (const f of [
      'orgs',
      'academicSessions',
      'courses',
      'classes',
      'users',
      'roles',
      'enrollments',
      'demographics',
    ]) {
      assert.equal(manifest[`file.${f}`], 'bulk', f);
      assert.ok(files.has(`${f}.csv`), f);
    }
    assert.equal(manifest['file.results'], 'absent');
    const orgs = parseCsv(files.get('orgs.csv')!);
    assert.deepEqual(
      orgs.map((o) => o.sourcedId).sort(),
      [w.district.id, w.a.school.id, w.b.school.id].sort(),
    );
    assert.ok(orgs.every((o) => o.status === '' && o.dateLastModified === ''));
    const schoolA = orgs.find((o) => o.sourcedId === w.a.school.id)!;
    assert.deepEqual([schoolA.type, schoolA.parentSourcedId], ['school', w.district.id]);
    const users = parseCsv(files.get('users.csv')!);
    assert.equal(users.length, 6 + 2 + 2);
    const anna = users.find((u) => u.sourcedId === w.a.students[0].id)!;
    assert.deepEqual(
      [anna.givenName, anna.agentSourcedIds, anna.primaryOrgSourcedId],
      ['Anna', w.a.parent.id, w.a.school.id],
    );
    const roles = parseCsv(files.get('roles.csv')!);
    assert.equal(roles.find((r) => r.userSourcedId === w.a.teacher.id)!.role, 'teacher');
    const enr = parseCsv(files.get('enrollments.csv')!);
    assert.equal(enr.length, 8);
    const classes = parseCsv(files.get('classes.csv')!);
    const a = classes.find((c) => c.sourcedId === w.a.cls.id)!;
    assert.deepEqual(
      [a.courseSourcedId, a.schoolSourcedId, a.termSourcedIds],
      [w.a.course.id, w.a.school.id, w.a.term.id],
    );
    assert.equal(parseCsv(files.get('academicSessions.csv')!).length, 6);
    assert.equal(parseCsv(files.get('demographics.csv')!).length, 6);
  });

  test('delta: only changes since, deletions as tobedeleted', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await app.deps.db
      .update(enrollments)
      .set({ status: 'dropped', droppedAt: new Date(), updatedAt: new Date() })
      .where(eq(enrollments.id, w.b.students[1].enrollmentId));
    const res = await download(token, { mode: 'delta', since });
    assert.equal(res.statusCode, 200, res.body);
    const files = unzip(res.rawPayload);
    const manifest = Object.fromEntries(
      parseCsv(files.get('manifest.csv')!).map((r) => [r.propertyName, r.value]),
    );
    assert.equal(manifest['file.enrollments'], 'delta');
    const enr = parseCsv(files.get('enrollments.csv')!);
    assert.deepEqual(
      enr.map((e) => [e.sourcedId, e.status]),
      [[w.b.students[1].enrollmentId, 'tobedeleted']],
    );
    assert.match(enr[0].dateLastModified, /Z$/);
    assert.deepEqual(parseCsv(files.get('users.csv')!), []);
  });

  test('scope, demographics and errors', async () => {
    const aOnly = (await clientToken(app, w.admin.token, w.a.school.id, [SCOPE.roster])).token;
    const res = await download(aOnly);
    assert.equal(res.statusCode, 200, res.body);
    const files = unzip(res.rawPayload);
    assert.equal(files.has('demographics.csv'), false);
    const manifest = Object.fromEntries(
      parseCsv(files.get('manifest.csv')!).map((r) => [r.propertyName, r.value]),
    );
    assert.equal(manifest['file.demographics'], 'absent');
    const users = parseCsv(files.get('users.csv')!);
    assert.ok(users.every((u) => u.primaryOrgSourcedId === w.a.school.id));
    assert.deepEqual(
      parseCsv(files.get('orgs.csv')!).map((o) => o.sourcedId),
      [w.a.school.id],
    );
    assert.equal((await download(token, { mode: 'delta' })).statusCode, 400);
    assert.equal((await download(token, { mode: 'weekly' })).statusCode, 400);
    assert.equal((await download(token, { since: 'yesterday' })).statusCode, 400);
    assert.equal((await download('')).statusCode, 401);
    const core = (await clientToken(app, w.admin.token, w.a.school.id, [SCOPE.rosterCore])).token;
    assert.equal((await download(core)).statusCode, 403);
  });
});
