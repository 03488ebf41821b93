import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
// The app first: the module graph must load from its composition root (see test/helpers/academic.ts).
import '../src/app.js';
import { hostelCharge } from '../src/modules/hostels/index.js';
import { makeFaculty, makeParent, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser } from './helpers/factories.js';
import { allocate, createHostel, createRoom, makeHostelWorld } from './helpers/hostels.js';

describe('hostel fee arithmetic', () => {
  it('should charge the whole fee, or pro-rate by remaining days, rounding half up', () => {
    const year = { start: '2026-01-01', end: '2026-12-31' };
    assert.equal(hostelCharge(365_00, year, '2026-07-01', false), 365_00);
    assert.equal(hostelCharge(365_00, year, '2025-12-01', true), 365_00);
    // 184 of 365 days remain from 1 July.
    assert.equal(hostelCharge(365_00, year, '2026-07-01', true), 184_00);
    assert.equal(hostelCharge(100, { start: '2026-01-01', end: '2026-01-03' }, '2026-01-02', true), 67);
    assert.equal(hostelCharge(365_00, year, '2027-01-01', true), 0);
  });
});

describe('hostel allocations', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeHostelWorld>>;
  let teacher: Awaited<ReturnType<typeof makeFaculty>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeHostelWorld(app);
    teacher = await makeFaculty(app, w.org);
  });
  after(() => app.close());

  it(`should allocate exactly 2 of 10 concurrent requests into a 2-bed room (${isPostgres() ? 'PostgreSQL' : 'PGlite'})`, async () => {
    const room = await createRoom(app, w.staff.token, w.hostel.id, { capacity: 2 });
    const studs = await Promise.all(Array.from({ length: 10 }, () => makeStudent(app, w.org)));
    const results = await Promise.all(studs.map((s) => allocate(app, w.staff.token, s.id, room.id)));
    const codes = results.map((r) => r.statusCode).sort();
    assert.equal(codes.filter((c) => c === 201).length, 2, codes.join(','));
    for (const r of results.filter((x) => x.statusCode !== 201)) expectError(r, 422, 'room_full');
    const after = await call(app, 'GET', `/api/v1/hostel-rooms/${room.id}`, { token: w.staff.token });
    assert.equal(after.data.data.occupied, 2);
    assert.equal(after.data.data.free_beds, 0);
  });

  it('should keep one active allocation per student, also under concurrent requests', async () => {
    const s = await makeStudent(app, w.org);
    const rooms = await Promise.all([1, 2, 3, 4].map(() => createRoom(app, w.staff.token, w.hostel.id)));
    const results = await Promise.all(rooms.map((r) => allocate(app, w.staff.token, s.id, r.id)));
    assert.equal(results.filter((r) => r.statusCode === 201).length, 1);
    for (const r of results.filter((x) => x.statusCode !== 201)) expectError(r, 409, 'already_allocated');
  });

  it('POST should answer 400, 401, 403, 404 and the room rules (422)', async () => {
    const s = await makeStudent(app, w.org);
    expectError(
      await call(app, 'POST', '/api/v1/hostel-allocations', {
        token: w.staff.token,
        body: { student_id: s.id },
      }),
      400,
    );
    expectError(await allocate(app, w.staff.token, s.id, w.room.id, { start_date: '2026-13-40' }), 400);
    expectError(
      await call(app, 'POST', '/api/v1/hostel-allocations', {
        body: { student_id: s.id, room_id: w.room.id },
      }),
      401,
    );
    expectError(await allocate(app, teacher.token, s.id, w.room.id), 403);
    expectError(await allocate(app, w.student.token, s.id, w.room.id), 403);
    expectError(await allocate(app, w.staff.token, w.otherStudent.id, w.room.id), 404);
    expectError(await allocate(app, w.staff.token, s.id, w.otherRoom.id), 404);
    const closed = await createRoom(app, w.staff.token, w.hostel.id, { room_status: 'maintenance' });
    expectError(await allocate(app, w.staff.token, s.id, closed.id), 422, 'room_unavailable');
    const boys = await createHostel(app, w.staff.token, w.org.id, { hostel_type: 'boys' });
    const boysRoom = await createRoom(app, w.staff.token, boys.id);
    const girl = await makeStudent(app, w.org, { gender: 'female' });
    expectError(await allocate(app, w.staff.token, girl.id, boysRoom.id), 422, 'hostel_type_mismatch');
  });

  it('should transfer and vacate keeping the whole history, listed in order', async () => {
    const s = await makeStudent(app, w.org, {}, { login: true });
    const r1 = await createRoom(app, w.staff.token, w.hostel.id);
    const r2 = await createRoom(app, w.staff.token, w.hostel.id);
    const first = await allocate(app, w.staff.token, s.id, r1.id, {
      start_date: '2026-01-10',
      academic_year: '2026-2027',
    });
    expectStatus(first, 201);
    assert.equal(first.data.data.status, 'active');
    const moved = await call(app, 'PUT', `/api/v1/hostel-allocations/${first.data.data.id}`, {
      token: w.staff.token,
      body: { room_id: r2.id, transfer_date: '2026-03-01', remarks: 'quieter room' },
    });
    expectStatus(moved, 200);
    assert.equal(moved.data.data.room_id, r2.id);
    assert.equal(moved.data.data.transferred_from_id, first.data.data.id);
    assert.equal(moved.data.data.academic_year, '2026-2027');
    const gone = await call(app, 'DELETE', `/api/v1/hostel-allocations/${moved.data.data.id}`, {
      token: w.staff.token,
      query: { end_date: '2026-06-30' },
    });
    expectStatus(gone, 200);
    assert.equal(gone.data.data.status, 'vacated');
    // Back again later: a new stay.
    const again = await allocate(app, w.staff.token, s.id, r1.id, { start_date: '2026-09-01' });
    expectStatus(again, 201);

    const hist = await call(app, 'GET', `/api/v1/hostel-allocations/history/${s.id}`, { token: s.token });
    expectStatus(hist, 200);
    assert.deepEqual(
      hist.data.data.map(
        (a: { status: string; room_id: string; start_date: string; end_date: string | null }) => [
          a.status,
          a.room_id,
          a.start_date,
          a.end_date,
        ],
      ),
      [
        ['transferred', r1.id, '2026-01-10', '2026-03-01'],
        ['vacated', r2.id, '2026-03-01', '2026-06-30'],
        ['active', r1.id, '2026-09-01', null],
      ],
    );
    const audit = await app.deps.db.execute(
      `select action from audit_logs where entity_type = 'hostel_allocation' and entity_id in ('${first.data.data.id}', '${moved.data.data.id}') order by id`,
    );
    assert.deepEqual(
      audit.rows.map((r) => r.action),
      ['allocate', 'transfer', 'allocate', 'vacate'],
    );
  });

  it('PUT (transfer) should answer 400, 401, 403, 404 and 422', async () => {
    const s = await makeStudent(app, w.org);
    const r1 = await createRoom(app, w.staff.token, w.hostel.id);
    const full = await createRoom(app, w.staff.token, w.hostel.id, { room_type: 'single', capacity: 1 });
    expectStatus(await allocate(app, w.staff.token, (await makeStudent(app, w.org)).id, full.id), 201);
    const a = (await allocate(app, w.staff.token, s.id, r1.id, { start_date: '2026-02-01' })).data.data;
    const url = `/api/v1/hostel-allocations/${a.id}`;
    expectError(await call(app, 'PUT', url, { token: w.staff.token, body: {} }), 400);
    expectError(await call(app, 'PUT', url, { token: w.staff.token, body: { room_id: r1.id } }), 400);
    expectError(
      await call(app, 'PUT', url, {
        token: w.staff.token,
        body: { room_id: full.id, transfer_date: '2026-01-01' },
      }),
      400,
    );
    expectError(await call(app, 'PUT', url, { body: { room_id: full.id } }), 401);
    expectError(await call(app, 'PUT', url, { token: teacher.token, body: { room_id: full.id } }), 403);
    expectError(await call(app, 'PUT', url, { token: w.otherAdmin.token, body: { room_id: full.id } }), 404);
    expectError(
      await call(app, 'PUT', url, { token: w.staff.token, body: { room_id: w.otherRoom.id } }),
      404,
    );
    expectError(
      await call(app, 'PUT', url, { token: w.staff.token, body: { room_id: full.id } }),
      422,
      'room_full',
    );
    // The failed transfer changed nothing.
    const hist = await call(app, 'GET', `/api/v1/hostel-allocations/history/${s.id}`, {
      token: w.staff.token,
    });
    assert.deepEqual(
      hist.data.data.map((x: { status: string }) => x.status),
      ['active'],
    );
  });

  it('DELETE (vacate) should answer 400, 401, 403, 404 and 422 when already ended', async () => {
    const s = await makeStudent(app, w.org);
    const r = await createRoom(app, w.staff.token, w.hostel.id);
    const a = (await allocate(app, w.staff.token, s.id, r.id, { start_date: '2026-02-01' })).data.data;
    const url = `/api/v1/hostel-allocations/${a.id}`;
    expectError(
      await call(app, 'DELETE', url, { token: w.staff.token, query: { end_date: '2026-01-01' } }),
      400,
    );
    expectError(
      await call(app, 'DELETE', url, { token: w.staff.token, query: { end_date: 'yesterday' } }),
      400,
    );
    expectError(await call(app, 'DELETE', url), 401);
    expectError(await call(app, 'DELETE', url, { token: teacher.token }), 403);
    expectError(await call(app, 'DELETE', url, { token: w.otherAdmin.token }), 404);
    expectStatus(await call(app, 'DELETE', url, { token: w.staff.token }), 200);
    expectError(await call(app, 'DELETE', url, { token: w.staff.token }), 422, 'allocation_not_active');
  });

  it('GET should filter, and show students and parents only their own', async () => {
    const a = await makeStudent(app, w.org, {}, { login: true });
    const b = await makeStudent(app, w.org, {}, { login: true });
    const r = await createRoom(app, w.staff.token, w.hostel.id, { capacity: 4, room_type: 'dormitory' });
    const aa = await allocate(app, w.staff.token, a.id, r.id, { academic_year: '2027-2028' });
    const bb = await allocate(app, w.staff.token, b.id, r.id, { academic_year: '2027-2028' });
    const parentA = await makeParent(app, w.org, [a.id]);
    const byRoom = await call(app, 'GET', '/api/v1/hostel-allocations', {
      token: w.staff.token,
      query: { room_id: r.id, status: 'ACTIVE', academic_year: '2027-2028', hostel_id: w.hostel.id },
    });
    expectStatus(byRoom, 200);
    assert.equal(byRoom.data.meta.total, 2);
    const own = await call(app, 'GET', '/api/v1/hostel-allocations', { token: a.token });
    assert.deepEqual(
      own.data.data.map((x: { id: string }) => x.id),
      [aa.data.data.id],
    );
    const kid = await call(app, 'GET', '/api/v1/hostel-allocations', {
      token: parentA.token,
      query: { student_id: b.id },
    });
    assert.equal(kid.data.meta.total, 0);
    const kids = await call(app, 'GET', '/api/v1/hostel-allocations', { token: parentA.token });
    assert.deepEqual(
      kids.data.data.map((x: { id: string }) => x.id),
      [aa.data.data.id],
    );
    const foreign = await call(app, 'GET', '/api/v1/hostel-allocations', {
      token: w.otherAdmin.token,
      query: { room_id: r.id },
    });
    assert.equal(foreign.data.meta.total, 0);
    assert.ok(bb.statusCode === 201);
    expectError(
      await call(app, 'GET', '/api/v1/hostel-allocations', {
        token: w.staff.token,
        query: { status: 'gone' },
      }),
      400,
    );
    expectError(await call(app, 'GET', '/api/v1/hostel-allocations'), 401);
    expectError(await call(app, 'GET', '/api/v1/hostel-allocations', { token: teacher.token }), 403);
  });

  it('GET /history/{student_id} should answer 400, 401, 403 and 404 (another student, another org)', async () => {
    const a = await makeStudent(app, w.org, {}, { login: true });
    const b = await makeStudent(app, w.org);
    const parentB = await makeParent(app, w.org, [b.id]);
    expectError(
      await call(app, 'GET', '/api/v1/hostel-allocations/history/nope', { token: w.staff.token }),
      400,
    );
    expectError(await call(app, 'GET', `/api/v1/hostel-allocations/history/${a.id}`), 401);
    expectError(
      await call(app, 'GET', `/api/v1/hostel-allocations/history/${a.id}`, { token: teacher.token }),
      403,
    );
    expectError(
      await call(app, 'GET', `/api/v1/hostel-allocations/history/${b.id}`, { token: a.token }),
      404,
    );
    expectError(
      await call(app, 'GET', `/api/v1/hostel-allocations/history/${a.id}`, { token: parentB.token }),
      404,
    );
    expectError(
      await call(app, 'GET', `/api/v1/hostel-allocations/history/${w.otherStudent.id}`, {
        token: w.staff.token,
      }),
      404,
    );
    expectStatus(
      await call(app, 'GET', `/api/v1/hostel-allocations/history/${b.id}`, { token: parentB.token }),
      200,
    );
  });

  describe('hostel fees and settings', () => {
    it('should charge the fee of the year to the ledger, pro-rated when the organization says so', async () => {
      const h = await createHostel(app, w.staff.token, w.org.id);
      const dbl = await createRoom(app, w.staff.token, h.id, { room_type: 'double', capacity: 2 });
      const sgl = await createRoom(app, w.staff.token, h.id, { room_type: 'single', capacity: 1 });
      const fee = await call(app, 'POST', '/api/v1/hostel-fees', {
        token: w.staff.token,
        body: {
          hostel_id: h.id,
          academic_year: '2026-2027',
          amount: '365.00',
          period_start: '2026-01-01',
          period_end: '2026-12-31',
        },
      });
      expectStatus(fee, 201);
      const single = await call(app, 'POST', '/api/v1/hostel-fees', {
        token: w.staff.token,
        body: {
          hostel_id: h.id,
          room_type: 'single',
          academic_year: '2026-2027',
          amount: '730.00',
          period_start: '2026-01-01',
          period_end: '2026-12-31',
        },
      });
      expectStatus(single, 201);
      expectError(
        await call(app, 'POST', '/api/v1/hostel-fees', {
          token: w.staff.token,
          body: {
            hostel_id: h.id,
            academic_year: '2026-2027',
            amount: '1.00',
            period_start: '2026-01-01',
            period_end: '2026-12-31',
          },
        }),
        409,
      );
      const s1 = await makeStudent(app, w.org);
      const a1 = await allocate(app, w.staff.token, s1.id, dbl.id, {
        academic_year: '2026-2027',
        start_date: '2026-07-01',
      });
      expectStatus(a1, 201);
      assert.equal(a1.data.data.charge, '365.00');
      const set = await call(app, 'PUT', `/api/v1/hostel-settings/${w.org.id}`, {
        token: w.admin.token,
        body: { prorate_fees: true, fee_due_days: 15 },
      });
      expectStatus(set, 200);
      assert.equal(set.data.data.inherited, false);
      const s2 = await makeStudent(app, w.org);
      const a2 = await allocate(app, w.staff.token, s2.id, sgl.id, {
        academic_year: '2026-2027',
        start_date: '2026-07-01',
      });
      assert.equal(a2.data.data.charge, '368.00');
      const ledger = await app.deps.db.execute(
        `select amount_minor, entry_type, due_date::text as due, reason from ledger_entries where student_id = '${s2.id}'`,
      );
      assert.equal(ledger.rows.length, 1);
      assert.equal(Number(ledger.rows[0].amount_minor), 36800);
      assert.equal(ledger.rows[0].entry_type, 'charge');
      assert.equal(ledger.rows[0].due, '2026-07-16');
      // No academic year, no charge.
      const s3 = await makeStudent(app, w.org);
      const a3 = await allocate(app, w.staff.token, s3.id, dbl.id);
      assert.equal(a3.data.data.charge, null);
      const desk = await call(app, 'GET', `/api/v1/students/${s2.id}/fees`, { token: w.staff.token });
      if (desk.statusCode === 200) assert.match(desk.body, /Hostel fee 2026-2027/);
      await call(app, 'PUT', `/api/v1/hostel-settings/${w.org.id}`, {
        token: w.admin.token,
        body: { prorate_fees: false, fee_due_days: 30 },
      });
    });

    it('POST/GET/DELETE /hostel-fees should answer 400, 401, 403 and 404', async () => {
      const h = await createHostel(app, w.staff.token, w.org.id);
      const body = {
        hostel_id: h.id,
        academic_year: '2030-2031',
        amount: '10.00',
        period_start: '2030-01-01',
        period_end: '2030-12-31',
      };
      expectError(
        await call(app, 'POST', '/api/v1/hostel-fees', {
          token: w.staff.token,
          body: { ...body, amount: '-1' },
        }),
        400,
      );
      expectError(
        await call(app, 'POST', '/api/v1/hostel-fees', {
          token: w.staff.token,
          body: { ...body, period_end: '2029-01-01' },
        }),
        400,
      );
      expectError(await call(app, 'POST', '/api/v1/hostel-fees', { body }), 401);
      expectError(await call(app, 'POST', '/api/v1/hostel-fees', { token: teacher.token, body }), 403);
      expectError(
        await call(app, 'POST', '/api/v1/hostel-fees', {
          token: w.staff.token,
          body: { ...body, hostel_id: w.otherHostel.id },
        }),
        404,
      );
      const fee = (await call(app, 'POST', '/api/v1/hostel-fees', { token: w.staff.token, body })).data.data;
      const list = await call(app, 'GET', '/api/v1/hostel-fees', {
        token: w.staff.token,
        query: { hostel_id: h.id },
      });
      assert.deepEqual(
        list.data.data.map((f: { id: string }) => f.id),
        [fee.id],
      );
      const foreign = await call(app, 'GET', '/api/v1/hostel-fees', {
        token: w.otherAdmin.token,
        query: { hostel_id: h.id },
      });
      assert.equal(foreign.data.meta.total, 0);
      expectError(
        await call(app, 'GET', '/api/v1/hostel-fees', {
          token: w.staff.token,
          query: { academic_year: 'x' },
        }),
        400,
      );
      expectError(await call(app, 'GET', '/api/v1/hostel-fees'), 401);
      expectError(await call(app, 'GET', '/api/v1/hostel-fees', { token: w.student.token }), 403);
      expectError(await call(app, 'DELETE', '/api/v1/hostel-fees/x', { token: w.staff.token }), 400);
      expectError(await call(app, 'DELETE', `/api/v1/hostel-fees/${fee.id}`), 401);
      expectError(await call(app, 'DELETE', `/api/v1/hostel-fees/${fee.id}`, { token: teacher.token }), 403);
      expectError(
        await call(app, 'DELETE', `/api/v1/hostel-fees/${fee.id}`, { token: w.otherAdmin.token }),
        404,
      );
      expectStatus(await call(app, 'DELETE', `/api/v1/hostel-fees/${fee.id}`, { token: w.staff.token }), 204);
    });

    it('GET/PUT /hostel-settings should inherit, and answer 400, 401, 403 and 404', async () => {
      const url = `/api/v1/hostel-settings/${w.org.id}`;
      const got = await call(app, 'GET', url, { token: w.staff.token });
      expectStatus(got, 200);
      assert.equal(typeof got.data.data.prorate_fees, 'boolean');
      const nobody = await makeUser(app, w.org, null);
      expectError(await call(app, 'GET', '/api/v1/hostel-settings/x', { token: w.staff.token }), 400);
      expectError(
        await call(app, 'PUT', url, {
          token: w.admin.token,
          body: { prorate_fees: 'maybe', fee_due_days: 1 },
        }),
        400,
      );
      expectError(await call(app, 'GET', url), 401);
      expectError(await call(app, 'PUT', url, { body: { prorate_fees: true, fee_due_days: 1 } }), 401);
      expectError(await call(app, 'GET', url, { token: nobody.token }), 403);
      expectError(
        await call(app, 'PUT', url, { token: teacher.token, body: { prorate_fees: true, fee_due_days: 1 } }),
        403,
      );
      expectError(
        await call(app, 'GET', `/api/v1/hostel-settings/${w.otherOrg.id}`, { token: w.staff.token }),
        404,
      );
      expectError(
        await call(app, 'PUT', `/api/v1/hostel-settings/${w.otherOrg.id}`, {
          token: w.staff.token,
          body: { prorate_fees: true, fee_due_days: 1 },
        }),
        404,
      );
    });
  });
});
