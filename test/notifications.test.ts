import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeFaculty, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeChildOrg, makeUser, makeWorld } from './helpers/factories.js';

describe('notifications', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let staff: Awaited<ReturnType<typeof makeUser>>;
  let s1: Awaited<ReturnType<typeof makeStudent>>;
  let s2: Awaited<ReturnType<typeof makeStudent>>;
  let teacher: Awaited<ReturnType<typeof makeFaculty>>;
  let outsider: Awaited<ReturnType<typeof makeStudent>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app);
    const school = await makeChildOrg(app, w.org as any, 'school');
    staff = await makeUser(app, w.org, 'staff');
    s1 = await makeStudent(app, w.org, {}, { login: true });
    s2 = await makeStudent(app, school, {}, { login: true });
    teacher = await makeFaculty(app, w.org);
    outsider = await makeStudent(app, w.otherOrg, {}, { login: true });
  });
  after(() => app.close());

  const send = (token: string, body: unknown) => call(app, 'POST', '/api/v1/notifications', { token, body });

  it('should fan a notification out to the students of the subtree only', async () => {
    const res = await send(staff.token, {
      title: 'Exams',
      body: 'Exams start Monday',
      target_audience: 'students',
    });
    expectStatus(res, 201);
    assert.equal(res.data.data.recipient_count, 2);
    const id = res.data.data.id;
    for (const s of [s1, s2]) {
      const mine = await call(app, 'GET', '/api/v1/notifications', { token: s.token });
      assert.ok(mine.data.data.some((n: any) => n.id === id && !n.is_read));
    }
    const t = await call(app, 'GET', '/api/v1/notifications', { token: teacher.token });
    assert.ok(t.data.data.every((n: any) => n.id !== id));
    const o = await call(app, 'GET', '/api/v1/notifications', { token: outsider.token });
    assert.ok(o.data.data.every((n: any) => n.id !== id));
    const all = await send(w.admin.token, {
      title: 'Hello',
      body: 'Everyone',
      target_audience: 'all',
      organization_id: w.org.id,
    });
    assert.equal(all.data.data.recipient_count, 5);
    const fac = await send(w.admin.token, {
      title: 'Staff meeting',
      body: 'Room 1',
      target_audience: 'faculty',
      organization_id: w.org.id,
    });
    assert.equal(fac.data.data.recipient_count, 1);
  });

  it('should send to specific users of the subtree, ignoring outsiders', async () => {
    const res = await send(staff.token, {
      title: 'See me',
      body: 'Please come by',
      target_audience: 'specific',
      target_ids: [s1.userId, outsider.userId],
    });
    expectStatus(res, 201);
    assert.equal(res.data.data.recipient_count, 1);
  });

  it('should count unread, get one, mark it read; others get 404', async () => {
    const id = (
      await send(staff.token, {
        title: 'Read me',
        body: 'x',
        target_audience: 'specific',
        target_ids: [s1.userId],
      })
    ).data.data.id;
    const before = (await call(app, 'GET', '/api/v1/notifications/unread', { token: s1.token })).data.data
      .unread;
    assert.ok(before >= 1);
    const one = await call(app, 'GET', `/api/v1/notifications/${id}`, { token: s1.token });
    expectStatus(one, 200);
    assert.equal(one.data.data.title, 'Read me');
    const read = await call(app, 'PUT', `/api/v1/notifications/${id}/read`, { token: s1.token });
    expectStatus(read, 200);
    assert.equal(read.data.data.is_read, true);
    const afterCount = (await call(app, 'GET', '/api/v1/notifications/unread', { token: s1.token })).data.data
      .unread;
    assert.equal(afterCount, before - 1);
    const unreadList = await call(app, 'GET', '/api/v1/notifications', {
      token: s1.token,
      query: { unread: true, page_size: 100 },
    });
    assert.ok(unreadList.data.data.every((n: any) => n.id !== id));
    expectError(await call(app, 'GET', `/api/v1/notifications/${id}`, { token: s2.token }), 404);
    expectError(await call(app, 'PUT', `/api/v1/notifications/${id}/read`, { token: s2.token }), 404);
    expectError(await call(app, 'GET', `/api/v1/notifications/${id}`, { token: w.otherAdmin.token }), 404);
    expectStatus(await call(app, 'GET', `/api/v1/notifications/${id}`, { token: w.admin.token }), 200);
    expectError(await call(app, 'GET', '/api/v1/notifications/not-a-uuid', { token: s1.token }), 400);
    expectError(await call(app, 'PUT', '/api/v1/notifications/not-a-uuid/read', { token: s1.token }), 400);
    for (const u of [
      '/api/v1/notifications',
      '/api/v1/notifications/unread',
      `/api/v1/notifications/${id}`,
    ]) {
      expectError(await call(app, 'GET', u), 401);
    }
    expectError(await call(app, 'PUT', `/api/v1/notifications/${id}/read`), 401);
    expectError(
      await call(app, 'GET', '/api/v1/notifications', { token: s1.token, query: { page_size: 101 } }),
      400,
    );
  });

  it('should delete for admin/staff in scope only', async () => {
    const id = (await send(staff.token, { title: 'Oops', body: 'x', target_audience: 'students' })).data.data
      .id;
    expectError(await call(app, 'DELETE', `/api/v1/notifications/${id}`, { token: s1.token }), 403);
    expectError(await call(app, 'DELETE', `/api/v1/notifications/${id}`, { token: w.otherAdmin.token }), 404);
    expectError(await call(app, 'DELETE', `/api/v1/notifications/${id}`), 401);
    expectError(await call(app, 'DELETE', '/api/v1/notifications/zzz', { token: staff.token }), 400);
    expectStatus(await call(app, 'DELETE', `/api/v1/notifications/${id}`, { token: staff.token }), 204);
    expectError(await call(app, 'GET', `/api/v1/notifications/${id}`, { token: s1.token }), 404);
    const audit = await call(app, 'GET', '/api/v1/audit-logs', {
      token: w.admin.token,
      query: { entity_type: 'notification', entity_id: id },
    });
    assert.deepEqual(audit.data.data.map((a: any) => a.action).sort(), ['create', 'delete']);
  });

  it('should answer 400, 401, 403 and 404 on create', async () => {
    expectError(await send(staff.token, { title: 'x', body: 'y', target_audience: 'specific' }), 400);
    expectError(
      await send(staff.token, {
        title: 'x',
        body: 'y',
        target_audience: 'students',
        target_ids: [s1.userId],
      }),
      400,
    );
    const bad = await send(staff.token, { title: '', body: 'y', target_audience: 'aliens' });
    expectError(bad, 400);
    expectError(
      await call(app, 'POST', '/api/v1/notifications', {
        body: { title: 'x', body: 'y', target_audience: 'all' },
      }),
      401,
    );
    expectError(await send(s1.token, { title: 'x', body: 'y', target_audience: 'all' }), 403);
    expectError(await send(teacher.token, { title: 'x', body: 'y', target_audience: 'all' }), 403);
    expectError(
      await send(staff.token, {
        title: 'x',
        body: 'y',
        target_audience: 'all',
        organization_id: w.otherOrg.id,
      }),
      404,
    );
  });
});
