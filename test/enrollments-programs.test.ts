import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { programs } from '../src/modules/academics/academics.table.js';
import { makeParent, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser, makeWorld } from './helpers/factories.js';

const api = (p: string) => `/api/v1${p}`;

describe('program enrollments', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'university');
  });
  after(() => app.close());

  const makeProgram = async (org: { id: string }, over: Partial<typeof programs.$inferInsert> = {}) =>
    (
      await app.deps.db
        .insert(programs)
        .values({ organizationId: org.id, code: uniq('P'), name: 'BSc', ...over })
        .returning()
    )[0];

  it('should explain eligibility check by check, admit, and then refuse a second admission', async () => {
    const p = await makeProgram(w.org, { minEntryScore: '60.00' });
    const s = await makeStudent(app, w.org);
    const t = w.admin.token;
    const low = await call(app, 'GET', api('/program-enrollments/verify-eligibility'), {
      token: t,
      query: { student_id: s.id, program_id: p.id, entry_score: '55' },
    });
    expectStatus(low, 200);
    assert.equal(low.data.data.eligible, false);
    const failed = low.data.data.checks.filter((c: any) => !c.passed).map((c: any) => c.check);
    assert.deepEqual(failed, ['min_entry_score']);
    const ok = await call(app, 'GET', api('/program-enrollments/verify-eligibility'), {
      token: t,
      query: { student_id: s.id, program_id: p.id, entry_score: '72.5' },
    });
    assert.equal(ok.data.data.eligible, true);
    assert.deepEqual(
      ok.data.data.checks.map((c: any) => c.check),
      ['student_active', 'program_active', 'same_organization', 'not_already_admitted', 'min_entry_score'],
    );
    expectError(
      await call(app, 'POST', api('/program-enrollments'), {
        token: t,
        body: { student_id: s.id, program_id: p.id, entry_score: '50' },
      }),
      422,
      'entry_score_below_minimum',
    );
    const admit = await call(app, 'POST', api('/program-enrollments'), {
      token: t,
      body: { student_id: s.id, program_id: p.id, entry_score: '72.50', batch_year: 2026 },
    });
    expectStatus(admit, 201);
    assert.equal(admit.data.data.status, 'active');
    assert.equal(admit.data.data.entry_score, '72.50');
    expectError(
      await call(app, 'POST', api('/program-enrollments'), {
        token: t,
        body: { student_id: s.id, program_id: p.id, entry_score: '90' },
      }),
      422,
      'already_admitted',
    );
    const up = await call(app, 'PUT', api(`/program-enrollments/${admit.data.data.id}`), {
      token: t,
      body: { status: 'withdrawn' },
    });
    expectStatus(up, 200);
    assert.equal(up.data.data.status, 'withdrawn');
    // After withdrawal a new admission is possible again.
    expectStatus(
      await call(app, 'POST', api('/program-enrollments'), {
        token: t,
        body: { student_id: s.id, program_id: p.id, entry_score: '61' },
      }),
      201,
    );
  });

  it('should refuse inactive students and inactive programs', async () => {
    const p = await makeProgram(w.org, { isActive: false });
    const s = await makeStudent(app, w.org, { studentStatus: 'suspended' });
    const res = await call(app, 'POST', api('/program-enrollments'), {
      token: w.admin.token,
      body: { student_id: s.id, program_id: p.id },
    });
    expectError(res, 422, 'student_inactive');
    assert.deepEqual(
      res.data.error.details.map((d: any) => d.field),
      ['student_active', 'program_active'],
    );
  });

  it('should list and read admissions by scope: managers, the student, their parent', async () => {
    const p = await makeProgram(w.org);
    const [a, b] = await Promise.all([makeStudent(app, w.org, {}, { login: true }), makeStudent(app, w.org)]);
    const parent = await makeParent(app, w.org, [a.id]);
    const ea = await call(app, 'POST', api('/program-enrollments'), {
      token: w.admin.token,
      body: { student_id: a.id, program_id: p.id },
    });
    const eb = await call(app, 'POST', api('/program-enrollments'), {
      token: w.admin.token,
      body: { student_id: b.id, program_id: p.id },
    });
    const ids = async (token: string) =>
      (await call(app, 'GET', api('/program-enrollments'), { token, query: { program_id: p.id } })).data.data
        .map((x: any) => x.id)
        .sort();
    assert.deepEqual(await ids(w.admin.token), [ea.data.data.id, eb.data.data.id].sort());
    assert.deepEqual(await ids(a.token), [ea.data.data.id]);
    assert.deepEqual(await ids(parent.token), [ea.data.data.id]);
    assert.deepEqual(await ids(w.otherAdmin.token), []);
    expectStatus(
      await call(app, 'GET', api(`/program-enrollments/${ea.data.data.id}`), { token: a.token }),
      200,
    );
    expectError(
      await call(app, 'GET', api(`/program-enrollments/${eb.data.data.id}`), { token: a.token }),
      404,
    );
  });

  it('program enrollments: 400, 401, 403, 404', async () => {
    const p = await makeProgram(w.org);
    const s = await makeStudent(app, w.org, {}, { login: true });
    const faculty = await makeUser(app, w.org, 'faculty');
    const t = w.admin.token;
    const e = await call(app, 'POST', api('/program-enrollments'), {
      token: t,
      body: { student_id: s.id, program_id: p.id },
    });
    const id = e.data.data.id;
    const verify = api('/program-enrollments/verify-eligibility');
    expectError(
      await call(app, 'GET', verify, { token: t, query: { student_id: s.id } }),
      400,
      'validation_failed',
    );
    expectError(
      await call(app, 'POST', api('/program-enrollments'), {
        token: t,
        body: { student_id: s.id, entry_score: 'high' },
      }),
      400,
    );
    expectError(
      await call(app, 'PUT', api(`/program-enrollments/${id}`), { token: t, body: { status: 'expelled' } }),
      400,
    );
    expectError(
      await call(app, 'GET', api('/program-enrollments'), { token: t, query: { status: 'x' } }),
      400,
    );
    expectError(await call(app, 'GET', api('/program-enrollments/x'), { token: t }), 400);
    expectError(await call(app, 'GET', verify, { query: { student_id: s.id, program_id: p.id } }), 401);
    expectError(await call(app, 'POST', api('/program-enrollments'), { body: {} }), 401);
    expectError(await call(app, 'GET', api('/program-enrollments')), 401);
    expectError(await call(app, 'GET', api(`/program-enrollments/${id}`)), 401);
    expectError(
      await call(app, 'PUT', api(`/program-enrollments/${id}`), { body: { status: 'completed' } }),
      401,
    );
    expectError(
      await call(app, 'GET', verify, { token: s.token, query: { student_id: s.id, program_id: p.id } }),
      403,
    );
    expectError(
      await call(app, 'POST', api('/program-enrollments'), {
        token: s.token,
        body: { student_id: s.id, program_id: p.id },
      }),
      403,
    );
    expectError(await call(app, 'GET', api('/program-enrollments'), { token: faculty.token }), 403);
    expectError(await call(app, 'GET', api(`/program-enrollments/${id}`), { token: faculty.token }), 403);
    expectError(
      await call(app, 'PUT', api(`/program-enrollments/${id}`), {
        token: s.token,
        body: { status: 'completed' },
      }),
      403,
    );
    const o = w.otherAdmin.token;
    expectError(
      await call(app, 'GET', verify, { token: o, query: { student_id: s.id, program_id: p.id } }),
      404,
    );
    expectError(
      await call(app, 'POST', api('/program-enrollments'), {
        token: o,
        body: { student_id: s.id, program_id: p.id },
      }),
      404,
    );
    expectError(await call(app, 'GET', api(`/program-enrollments/${id}`), { token: o }), 404);
    expectError(
      await call(app, 'PUT', api(`/program-enrollments/${id}`), { token: o, body: { status: 'completed' } }),
      404,
    );
  });
});
