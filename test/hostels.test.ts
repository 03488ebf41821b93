import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
// The app first: the module graph must load from its composition root (see test/helpers/academic.ts).
import '../src/app.js';
import { makeFaculty, makeParent, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser } from './helpers/factories.js';
import { createHostel, createRoom, makeHostelWorld } from './helpers/hostels.js';

const NO_SUCH = '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d';

describe('hostels and rooms', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeHostelWorld>>;
  let teacher: Awaited<ReturnType<typeof makeFaculty>>;
  let nobody: Awaited<ReturnType<typeof makeUser>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeHostelWorld(app);
    teacher = await makeFaculty(app, w.org);
    nobody = await makeUser(app, w.org, null);
  });
  after(() => app.close());

  describe('POST /hostels', () => {
    it('should create a hostel with a faculty warden', async () => {
      const h = await createHostel(app, w.staff.token, w.org.id, {
        hostel_type: 'girls',
        warden_faculty_id: teacher.id,
      });
      assert.equal(h.hostel_type, 'girls');
      assert.deepEqual(h.warden, { kind: 'faculty', id: teacher.id, name: 'Test Teacher' });
      assert.equal(h.room_count, 0);
    });
    it('should answer 400 for a bad type, an unknown field or two wardens', async () => {
      const base = { organization_id: w.org.id, name: 'X' };
      expectError(
        await call(app, 'POST', '/api/v1/hostels', {
          token: w.staff.token,
          body: { ...base, hostel_type: 'castle' },
        }),
        400,
        'validation_failed',
      );
      expectError(
        await call(app, 'POST', '/api/v1/hostels', {
          token: w.staff.token,
          body: { ...base, hostel_type: 'boys', path: '/x' },
        }),
        400,
      );
      expectError(
        await call(app, 'POST', '/api/v1/hostels', {
          token: w.staff.token,
          body: { ...base, hostel_type: 'boys', warden_faculty_id: teacher.id, warden_staff_id: teacher.id },
        }),
        400,
      );
    });
    it('should answer 400 for a warden of another organization', async () => {
      const foreign = await makeFaculty(app, w.otherOrg);
      const res = await call(app, 'POST', '/api/v1/hostels', {
        token: w.staff.token,
        body: { organization_id: w.org.id, name: 'Y', hostel_type: 'boys', warden_faculty_id: foreign.id },
      });
      expectError(res, 400);
      assert.equal(res.data.error.details[0].field, 'warden_faculty_id');
    });
    it('should answer 409 for a duplicate name (case-insensitive)', async () => {
      const res = await call(app, 'POST', '/api/v1/hostels', {
        token: w.staff.token,
        body: { organization_id: w.org.id, name: w.hostel.name.toUpperCase(), hostel_type: 'boys' },
      });
      expectError(res, 409);
    });
    it('should answer 401, 403 (faculty) and 404 (another organization)', async () => {
      const body = { organization_id: w.org.id, name: 'Z', hostel_type: 'boys' };
      expectError(await call(app, 'POST', '/api/v1/hostels', { body }), 401);
      expectError(await call(app, 'POST', '/api/v1/hostels', { token: teacher.token, body }), 403);
      expectError(
        await call(app, 'POST', '/api/v1/hostels', {
          token: w.staff.token,
          body: { ...body, organization_id: w.otherOrg.id },
        }),
        404,
      );
    });
  });

  describe('GET /hostels and /hostels/{id}', () => {
    it('should list only hostels in scope, with filters', async () => {
      const res = await call(app, 'GET', '/api/v1/hostels', {
        token: w.student.token,
        query: { hostel_type: 'mixed' },
      });
      expectStatus(res, 200);
      const ids = res.data.data.map((h: { id: string }) => h.id);
      assert.ok(ids.includes(w.hostel.id));
      assert.ok(!ids.includes(w.otherHostel.id));
      assert.equal(res.data.meta.page, 1);
      const none = await call(app, 'GET', '/api/v1/hostels', {
        token: w.admin.token,
        query: { organization_id: w.otherOrg.id },
      });
      assert.equal(none.data.meta.total, 0);
    });
    it('should get one hostel with its beds', async () => {
      const res = await call(app, 'GET', `/api/v1/hostels/${w.hostel.id}`, { token: w.student.token });
      expectStatus(res, 200);
      assert.equal(res.data.data.capacity, 2);
      assert.equal(res.data.data.room_count, 1);
    });
    it('should answer 400, 401, 403 and 404', async () => {
      expectError(
        await call(app, 'GET', '/api/v1/hostels', { token: w.admin.token, query: { page_size: 1000 } }),
        400,
      );
      expectError(await call(app, 'GET', '/api/v1/hostels/not-a-uuid', { token: w.admin.token }), 400);
      expectError(await call(app, 'GET', '/api/v1/hostels'), 401);
      expectError(await call(app, 'GET', `/api/v1/hostels/${w.hostel.id}`), 401);
      expectError(await call(app, 'GET', '/api/v1/hostels', { token: nobody.token }), 403);
      expectError(await call(app, 'GET', `/api/v1/hostels/${w.hostel.id}`, { token: nobody.token }), 403);
      expectError(
        await call(app, 'GET', `/api/v1/hostels/${w.otherHostel.id}`, { token: w.admin.token }),
        404,
      );
    });
  });

  describe('PUT /hostels/{id}', () => {
    it('should update the given fields and swap the warden kind', async () => {
      const h = await createHostel(app, w.staff.token, w.org.id, { warden_faculty_id: teacher.id });
      const staffRow = await app.deps.db.execute(
        `select id from staff where organization_id = '${w.org.id}' limit 1`,
      );
      const res = await call(app, 'PUT', `/api/v1/hostels/${h.id}`, {
        token: w.staff.token,
        body: {
          is_active: false,
          address: '1 Campus Road',
          ...(staffRow.rows[0] ? { warden_staff_id: staffRow.rows[0].id } : {}),
        },
      });
      expectStatus(res, 200);
      assert.equal(res.data.data.is_active, false);
      assert.equal(res.data.data.address, '1 Campus Road');
      const audit = await app.deps.db.execute(
        `select action from audit_logs where entity_id = '${h.id}' order by id`,
      );
      assert.deepEqual(
        audit.rows.map((r) => r.action),
        ['create', 'update'],
      );
    });
    it('should answer 400, 401, 403 and 404', async () => {
      const url = `/api/v1/hostels/${w.hostel.id}`;
      expectError(await call(app, 'PUT', url, { token: w.staff.token, body: {} }), 400);
      expectError(await call(app, 'PUT', url, { token: w.staff.token, body: { hostel_type: 'tent' } }), 400);
      expectError(await call(app, 'PUT', url, { body: { is_active: true } }), 401);
      expectError(await call(app, 'PUT', url, { token: w.student.token, body: { is_active: true } }), 403);
      expectError(
        await call(app, 'PUT', `/api/v1/hostels/${w.otherHostel.id}`, {
          token: w.staff.token,
          body: { is_active: true },
        }),
        404,
      );
    });
  });

  describe('rooms', () => {
    it('POST /hostel-rooms should add a room; the number is unique per hostel', async () => {
      const r = await createRoom(app, w.staff.token, w.hostel.id, {
        room_number: 'A-101',
        room_type: 'triple',
        capacity: 3,
        floor: 1,
      });
      assert.equal(r.free_beds, 3);
      assert.equal(r.hostel_name, w.hostel.name);
      const dup = await call(app, 'POST', '/api/v1/hostel-rooms', {
        token: w.staff.token,
        body: { hostel_id: w.hostel.id, room_number: 'a-101', room_type: 'single', capacity: 1 },
      });
      expectError(dup, 409);
      // The same number in another hostel is fine.
      const h2 = await createHostel(app, w.staff.token, w.org.id);
      await createRoom(app, w.staff.token, h2.id, { room_number: 'A-101' });
    });
    it('POST /hostel-rooms should answer 400, 401, 403 and 404', async () => {
      const body = { hostel_id: w.hostel.id, room_number: 'B1', room_type: 'single', capacity: 1 };
      expectError(
        await call(app, 'POST', '/api/v1/hostel-rooms', {
          token: w.staff.token,
          body: { ...body, capacity: 0 },
        }),
        400,
      );
      expectError(await call(app, 'POST', '/api/v1/hostel-rooms', { body }), 401);
      expectError(await call(app, 'POST', '/api/v1/hostel-rooms', { token: teacher.token, body }), 403);
      expectError(
        await call(app, 'POST', '/api/v1/hostel-rooms', {
          token: w.staff.token,
          body: { ...body, hostel_id: w.otherHostel.id },
        }),
        404,
      );
    });
    it('GET /hostel-rooms and /hostel-rooms/{id} should read rooms in scope', async () => {
      const list = await call(app, 'GET', '/api/v1/hostel-rooms', {
        token: w.student.token,
        query: { hostel_id: w.hostel.id, room_type: 'double' },
      });
      expectStatus(list, 200);
      assert.deepEqual(
        list.data.data.map((r: { id: string }) => r.id),
        [w.room.id],
      );
      const foreign = await call(app, 'GET', '/api/v1/hostel-rooms', {
        token: w.admin.token,
        query: { hostel_id: w.otherHostel.id },
      });
      assert.equal(foreign.data.meta.total, 0);
      const one = await call(app, 'GET', `/api/v1/hostel-rooms/${w.room.id}`, { token: w.student.token });
      expectStatus(one, 200);
      assert.equal(one.data.data.capacity, 2);
    });
    it('GET /hostel-rooms(/{id}) should answer 400, 401, 403 and 404', async () => {
      expectError(
        await call(app, 'GET', '/api/v1/hostel-rooms', {
          token: w.admin.token,
          query: { room_status: 'haunted' },
        }),
        400,
      );
      expectError(await call(app, 'GET', '/api/v1/hostel-rooms/123', { token: w.admin.token }), 400);
      expectError(await call(app, 'GET', '/api/v1/hostel-rooms'), 401);
      expectError(await call(app, 'GET', `/api/v1/hostel-rooms/${w.room.id}`), 401);
      expectError(await call(app, 'GET', '/api/v1/hostel-rooms', { token: nobody.token }), 403);
      expectError(await call(app, 'GET', `/api/v1/hostel-rooms/${w.room.id}`, { token: nobody.token }), 403);
      expectError(
        await call(app, 'GET', `/api/v1/hostel-rooms/${w.otherRoom.id}`, { token: w.admin.token }),
        404,
      );
    });
    it('GET /hostels/{id}/rooms should list the rooms of one hostel', async () => {
      const res = await call(app, 'GET', `/api/v1/hostels/${w.hostel.id}/rooms`, { token: w.student.token });
      expectStatus(res, 200);
      assert.ok(res.data.data.every((r: { hostel_id: string }) => r.hostel_id === w.hostel.id));
      expectError(
        await call(app, 'GET', `/api/v1/hostels/${w.hostel.id}/rooms`, {
          token: w.admin.token,
          query: { room_type: 'suite' },
        }),
        400,
      );
      expectError(await call(app, 'GET', `/api/v1/hostels/${w.hostel.id}/rooms`), 401);
      expectError(
        await call(app, 'GET', `/api/v1/hostels/${w.hostel.id}/rooms`, { token: nobody.token }),
        403,
      );
      expectError(
        await call(app, 'GET', `/api/v1/hostels/${w.otherHostel.id}/rooms`, { token: w.admin.token }),
        404,
      );
    });
    it('PUT /hostel-rooms/{id} should update, refuse a capacity below occupancy, and answer 400/401/403/404', async () => {
      const h = await createHostel(app, w.staff.token, w.org.id);
      const r = await createRoom(app, w.staff.token, h.id, { capacity: 2 });
      const s = await makeStudent(app, w.org);
      const s2 = await makeStudent(app, w.org);
      expectStatus(
        await call(app, 'POST', '/api/v1/hostel-allocations', {
          token: w.staff.token,
          body: { student_id: s.id, room_id: r.id },
        }),
        201,
      );
      expectStatus(
        await call(app, 'POST', '/api/v1/hostel-allocations', {
          token: w.staff.token,
          body: { student_id: s2.id, room_id: r.id },
        }),
        201,
      );
      const cut = await call(app, 'PUT', `/api/v1/hostel-rooms/${r.id}`, {
        token: w.staff.token,
        body: { capacity: 1 },
      });
      expectError(cut, 422, 'capacity_below_occupancy');
      const ok = await call(app, 'PUT', `/api/v1/hostel-rooms/${r.id}`, {
        token: w.staff.token,
        body: { capacity: 3, room_status: 'maintenance' },
      });
      expectStatus(ok, 200);
      assert.equal(ok.data.data.free_beds, 1);
      assert.equal(ok.data.data.room_status, 'maintenance');
      expectError(
        await call(app, 'PUT', `/api/v1/hostel-rooms/${r.id}`, {
          token: w.staff.token,
          body: { capacity: -1 },
        }),
        400,
      );
      expectError(await call(app, 'PUT', `/api/v1/hostel-rooms/${r.id}`, { body: { capacity: 3 } }), 401);
      expectError(
        await call(app, 'PUT', `/api/v1/hostel-rooms/${r.id}`, {
          token: teacher.token,
          body: { capacity: 3 },
        }),
        403,
      );
      expectError(
        await call(app, 'PUT', `/api/v1/hostel-rooms/${w.otherRoom.id}`, {
          token: w.staff.token,
          body: { capacity: 3 },
        }),
        404,
      );
    });
    it('GET /hostel-rooms/available should list rooms with enough free beds only', async () => {
      const h = await createHostel(app, w.staff.token, w.org.id);
      const full = await createRoom(app, w.staff.token, h.id, { room_type: 'single', capacity: 1 });
      const closed = await createRoom(app, w.staff.token, h.id, { room_status: 'closed' });
      const dorm = await createRoom(app, w.staff.token, h.id, { room_type: 'dormitory', capacity: 6 });
      const s = await makeStudent(app, w.org);
      expectStatus(
        await call(app, 'POST', '/api/v1/hostel-allocations', {
          token: w.staff.token,
          body: { student_id: s.id, room_id: full.id },
        }),
        201,
      );
      const res = await call(app, 'GET', '/api/v1/hostel-rooms/available', {
        token: w.student.token,
        query: { hostel_id: h.id },
      });
      expectStatus(res, 200);
      assert.deepEqual(
        res.data.data.map((r: { id: string }) => r.id),
        [dorm.id],
      );
      assert.ok(!res.data.data.some((r: { id: string }) => r.id === closed.id));
      const big = await call(app, 'GET', '/api/v1/hostel-rooms/available', {
        token: w.staff.token,
        query: { hostel_id: h.id, min_free_beds: 7 },
      });
      assert.equal(big.data.meta.total, 0);
      const typed = await call(app, 'GET', '/api/v1/hostel-rooms/available', {
        token: w.staff.token,
        query: { room_type: 'dormitory', hostel_id: h.id },
      });
      assert.equal(typed.data.meta.total, 1);
      const foreign = await call(app, 'GET', '/api/v1/hostel-rooms/available', {
        token: w.staff.token,
        query: { hostel_id: w.otherHostel.id },
      });
      assert.equal(foreign.data.meta.total, 0);
      expectError(
        await call(app, 'GET', '/api/v1/hostel-rooms/available', {
          token: w.staff.token,
          query: { min_free_beds: 0 },
        }),
        400,
      );
      expectError(await call(app, 'GET', '/api/v1/hostel-rooms/available'), 401);
      expectError(await call(app, 'GET', '/api/v1/hostel-rooms/available', { token: nobody.token }), 403);
    });
  });

  it('a parent reads hostels of their organization', async () => {
    const parent = await makeParent(app, w.org, [w.student.id]);
    expectStatus(await call(app, 'GET', `/api/v1/hostels/${w.hostel.id}`, { token: parent.token }), 200);
    expectError(await call(app, 'GET', `/api/v1/hostels/${NO_SUCH}`, { token: parent.token }), 404);
  });
});
