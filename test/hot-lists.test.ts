import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getTableColumns, sql } from 'drizzle-orm';
import type { CrudSpec, CrudTable } from '../src/kernel/crud.js';
import { countLimit, pageWindow, SEARCH_COUNT_CAP } from '../src/kernel/pagination.js';
import {
  academicSessionSpec,
  departmentSpec,
  programSpec,
  subjectSpec,
} from '../src/modules/academics/academics.service.js';
import { classSpec } from '../src/modules/classes/classes.service.js';
import { scheduleSpec, venueSpec } from '../src/modules/exams/exams.service.js';
import { facultyOut } from '../src/modules/faculty/faculty.repo.js';
import { toFaculty } from '../src/modules/faculty/faculty.service.js';
import { faculty, staff } from '../src/modules/faculty/faculty.table.js';
import { staffOut } from '../src/modules/faculty/faculty-staff.repo.js';
import { toStaff } from '../src/modules/faculty/faculty-staff.service.js';
import { personnelOut } from '../src/modules/personnel/personnel.repo.js';
import { toPersonnel } from '../src/modules/personnel/personnel.service.js';
import { personnel } from '../src/modules/personnel/personnel.table.js';
import { makeFaculty, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { captureQueries } from './helpers/attendance.js';
import { makeExamsWorld } from './helpers/exams.js';
import { makeChildOrg, makeUser } from './helpers/factories.js';
import { addPerson, makeRegister } from './helpers/personnel.js';

type World = Awaited<ReturnType<typeof makeExamsWorld>>;

describe('hot lists: rows shaped by SQL, one statement per page, searches served by an index', () => {
  let app: App;
  let w: World;
  before(async () => {
    app = await buildTestApp();
    w = await makeExamsWorld(app);
    const A = w.admin.token;
    const dept = await call(app, 'POST', '/api/v1/departments', {
      token: A,
      body: { organization_id: w.org.id, code: uniq('D'), name: 'Physics', description: 'Waves' },
    });
    expectStatus(dept, 201);
    expectStatus(
      await call(app, 'POST', '/api/v1/programs', {
        token: A,
        body: {
          organization_id: w.org.id,
          code: uniq('P'),
          name: 'BSc Physics',
          department_id: dept.data.data.id,
          degree_type: 'bachelor',
          duration: 4,
          total_credits: 120,
        },
      }),
      201,
    );
    expectStatus(
      await call(app, 'POST', '/api/v1/subjects', {
        token: A,
        body: { organization_id: w.org.id, code: uniq('S'), name: 'Optics' },
      }),
      201,
    );
    expectStatus(
      await call(app, 'POST', '/api/v1/staff', {
        token: A,
        body: {
          organization_id: w.org.id,
          first_name: 'Rosa',
          last_name: 'Quillfeather',
          email: `${uniq('rq')}@example.test`,
          employee_id: uniq('ST'),
          job_title: 'Registrar clerk',
        },
      }),
      201,
    );
    const reg = await makeRegister(app, A, w.org.id);
    await addPerson(app, A, reg.id, { first_name: 'Kofi', middle_name: 'Ama', last_name: 'Boateng' });
  });
  after(async () => {
    await app?.close();
  });

  // Each spec's `listColumns` must give exactly what its `toOut` builds, field for field and value for value.
  const specs: Array<[string, CrudSpec<any, any>]> = [
    ['departments', departmentSpec],
    ['programs', programSpec],
    ['subjects', subjectSpec],
    ['academic sessions', academicSessionSpec],
    ['classes', classSpec],
    ['exam schedules', scheduleSpec],
    ['exam venues', venueSpec],
  ];
  for (const [name, spec] of specs) {
    it(`CRUD list of ${name}: the SQL-shaped row equals toOut of the row, with the schema's fields`, async () => {
      const t = spec.table as CrudTable;
      const cols = spec.listColumns;
      assert.ok(cols, `${name} has listColumns`);
      const byId = <R extends { id: string }>(rows: R[]) =>
        [...rows].sort((a, b) => a.id.localeCompare(b.id));
      const full = await app.deps.db.select({ ...getTableColumns(t), ...(spec.selectExtra ?? {}) }).from(t);
      const shaped = (await app.deps.db.select(cols).from(t)) as Array<{ id: string }>;
      assert.ok(full.length > 0, `${name}: some rows to compare`);
      assert.deepEqual(byId(shaped), byId(full.map((r) => spec.toOut(r as never))));
      assert.deepEqual(
        Object.keys(cols).sort(),
        Object.keys((spec.schemas.out as { properties: object }).properties).sort(),
      );
    });
  }

  it('faculty, staff and personnel lists: the SQL-shaped row equals the mapped row', async () => {
    await makeFaculty(app, w.org, { designation: 'Lecturer', joiningDate: '2020-09-01', photoKey: 'k/1' });
    for (const [label, table, out, map] of [
      ['faculty', faculty, facultyOut, toFaculty],
      ['staff', staff, staffOut, toStaff],
      ['personnel', personnel, personnelOut, toPersonnel],
    ] as const) {
      const full = await app.deps.db.select().from(table);
      const shaped = (await app.deps.db.select(out).from(table)) as Array<{ id: string }>;
      assert.ok(full.length > 0, label);
      const sort = <R extends { id: string }>(rows: R[]) =>
        [...rows].sort((a, b) => a.id.localeCompare(b.id));
      assert.deepEqual(
        sort(shaped),
        sort(full.map((r) => (map as (x: unknown) => { id: string })(r))),
        label,
      );
    }
    // And through HTTP: the faculty list item is the faculty detail.
    const list = await call(app, 'GET', '/api/v1/faculty', {
      token: w.admin.token,
      query: { page_size: 100 },
    });
    expectStatus(list, 200);
    const item = list.data.data.find((f: { designation: string | null }) => f.designation === 'Lecturer');
    const one = await call(app, 'GET', `/api/v1/faculty/${item.id}`, { token: w.admin.token });
    assert.deepEqual(item, one.data.data);
    assert.equal(item.has_photo, true);
  });

  it('searches find by the start of a last name and by number (students, faculty, staff, personnel, users)', async () => {
    const A = w.admin.token;
    const org = await makeChildOrg(app, w.org, 'campus');
    const s = await makeStudent(app, org, {
      firstName: 'Ines',
      lastName: 'Zwartkop',
      studentNumber: 'ZK-4471',
    });
    const ids = async (path: string, search: string) => {
      const res = await call(app, 'GET', path, { token: A, query: { search } });
      expectStatus(res, 200);
      return res.data.data.map((r: { id: string }) => r.id) as string[];
    };
    assert.deepEqual(await ids('/api/v1/students', 'zwart'), [s.id]);
    assert.deepEqual(await ids('/api/v1/students', 'ZK-44'), [s.id]);
    assert.deepEqual(await ids('/api/v1/students', 'artko'), [s.id], 'a substring still matches');
    const f = await makeFaculty(app, w.org, { lastName: 'Okonkwo-Hale', employeeId: 'EMP-90210' });
    assert.deepEqual(await ids('/api/v1/faculty', 'okonk'), [f.id]);
    assert.deepEqual(await ids('/api/v1/faculty', 'emp-902'), [f.id]);
    const st = await ids('/api/v1/staff', 'quillf');
    assert.equal(st.length, 1);
    assert.deepEqual(await ids('/api/v1/staff', 'registrar cl'), st, 'job title substring');
    const p = await ids('/api/v1/personnel', 'boat');
    assert.equal(p.length, 1);
    const u = await makeUser(app, w.org, 'staff');
    const users = await call(app, 'GET', '/api/v1/users', {
      token: A,
      query: { search: u.username.slice(0, 8) },
    });
    expectStatus(users, 200);
    assert.ok(users.data.data.some((r: { username: string }) => r.username === u.username));
  });

  it('a student list search counts up to SEARCH_COUNT_CAP (count=exact counts all)', async () => {
    const org = await makeChildOrg(app, w.org, 'campus');
    const n = SEARCH_COUNT_CAP + 5;
    await app.deps.db.execute(sql`
      insert into students (id, organization_id, student_number, first_name, last_name, email)
      select gen_random_uuid(), ${org.id}, 'CAP-' || g, 'Cap', 'Capwell' || lpad(g::text, 4, '0'), null
        from generate_series(1, ${n}) g`);
    const principal = await makeUser(app, org, 'principal');
    const list = (query: Record<string, unknown>) =>
      call(app, 'GET', '/api/v1/students', { token: principal.token, query: { page_size: 20, ...query } });
    const capped = await list({ search: 'capwell' });
    expectStatus(capped, 200);
    assert.equal(capped.data.data.length, 20);
    assert.equal(capped.data.data[0].last_name, 'Capwell0001');
    assert.deepEqual(capped.data.meta, {
      total: SEARCH_COUNT_CAP,
      page: 1,
      page_size: 20,
      page_count: SEARCH_COUNT_CAP / 20,
      has_next_page: true,
      has_prev_page: false,
      total_exact: false,
    });
    const exact = await list({ search: 'capwell', count: 'exact' });
    assert.equal(exact.data.meta.total, n);
    assert.equal(exact.data.meta.total_exact, true);
    // Without a search the cap is still COUNT_CAP: every student counted.
    const all = await list({});
    assert.equal(all.data.meta.total, n);
    assert.equal(all.data.meta.total_exact, true);
    // The last page of the search raises the limit to its end, so it is exact again.
    const last = await list({ search: 'capwell', page: 11 });
    assert.deepEqual(
      last.data.data.map((r: { last_name: string }) => r.last_name),
      ['Capwell0201', 'Capwell0202', 'Capwell0203', 'Capwell0204', 'Capwell0205'],
    );
    assert.equal(countLimit(pageWindow({ page: 11, page_size: 20 }), 'capped', SEARCH_COUNT_CAP), 220);
  });

  it('the lists folded to one statement read their page and count in one round trip', async () => {
    const A = w.admin.token;
    const get = (path: string, query: Record<string, string> = {}) =>
      call(app, 'GET', path, { token: A, query });
    // The first request of the session loads the actor; the next ones cost their own statements only.
    await get('/api/v1/auth/me');
    for (const [path, query, expectTotal] of [
      ['/api/v1/enrollments', { class_id: w.cls.id }, 3],
      ['/api/v1/api-clients', {}, 0],
      ['/api/v1/departments', {}, 1],
      ['/api/v1/faculty', {}, undefined],
      ['/api/v1/personnel', {}, 1],
      ['/api/v1/hostels', {}, 0],
      ['/api/v1/hostel-allocations', {}, 0],
      ['/api/v1/hostel-fees', {}, 0],
      ['/api/v1/documents', {}, 0],
    ] as const) {
      let res: Awaited<ReturnType<typeof get>> | undefined;
      const statements = await captureQueries(app, async () => {
        res = await get(path, query);
      });
      expectStatus(res!, 200);
      if (expectTotal !== undefined) assert.equal(res!.data.meta.total, expectTotal, path);
      const selects = statements.filter((s) => /^\s*select/i.test(s));
      assert.equal(selects.length, 1, `${path}: ${statements.join('\n---\n')}`);
    }
  });
});
