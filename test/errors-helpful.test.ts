import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { registerErrorHandler } from '../src/kernel/error-handler.js';
import { Nullable } from '../src/kernel/schemas.js';
import { makeClass, makeCourse } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeWorld } from './helpers/factories.js';

const api = (p: string) => `/api/v1${p}`;

/** Errors that help: what collided, what still refers to a record, allowed values, no regexes. */
describe('errors that help', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'school');
  });
  after(() => app.close());

  it('a duplicate names the fields, the values and the organization, not the index', async () => {
    const code = uniq('MATH-');
    const body = { organization_id: w.org.id, code, name: 'Algebra', credits: 3 };
    expectStatus(await call(app, 'POST', api('/courses'), { token: w.admin.token, body }), 201);
    const dup = await call(app, 'POST', api('/courses'), { token: w.admin.token, body });
    expectError(dup, 409, 'conflict');
    assert.equal(dup.data.error.message, `A course with code ${code} already exists in ${w.org.name}`);
    assert.deepEqual(dup.data.error.details, [{ field: 'code', message: 'must be unique' }]);
    assert.doesNotMatch(dup.body, /_uq|courses_org/);
  });

  it('a duplicate student number names the number and the school', async () => {
    const n = uniq('N');
    const student = (username: string) => ({
      organization_id: w.org.id,
      first_name: 'Maria',
      last_name: 'Lopez',
      email: `${username}@student.example.test`,
      username,
      student_number: n,
    });
    expectStatus(
      await call(app, 'POST', api('/students'), { token: w.admin.token, body: student(uniq('a.')) }),
      201,
    );
    const dup = await call(app, 'POST', api('/students'), {
      token: w.admin.token,
      body: student(uniq('b.')),
    });
    expectError(dup, 409, 'conflict');
    assert.equal(
      dup.data.error.message,
      `A student with student number ${n} already exists in ${w.org.name}`,
    );
    assert.equal(dup.data.error.details[0].field, 'student_number');
  });

  it('a refused delete says what still uses the record', async () => {
    const course = await makeCourse(app, w.org);
    for (let i = 0; i < 3; i++) await makeClass(app, w.org, { courseId: course.id });
    const res = await call(app, 'DELETE', api(`/courses/${course.id}`), { token: w.admin.token });
    expectError(res, 409, 'still_referenced');
    assert.equal(res.data.error.message, '3 classes use this course; remove or reassign them first');
    // The course is still there (nothing half-done) and an unused one deletes.
    expectStatus(await call(app, 'GET', api(`/courses/${course.id}`), { token: w.admin.token }), 200);
    const lone = await makeCourse(app, w.org);
    expectStatus(await call(app, 'DELETE', api(`/courses/${lone.id}`), { token: w.admin.token }), 204);
  });

  it('enum errors list the allowed values; patterns show an example, never the regex', async () => {
    const e = await call(app, 'POST', api('/timetable/feeds'), {
      token: w.admin.token,
      body: { kind: 'bus', target: 'x' },
    });
    expectError(e, 400, 'validation_failed');
    assert.deepEqual(e.data.error.details, [
      { field: 'kind', message: 'must be one of: student, faculty, room', in: 'body' },
    ]);
    const p = await call(app, 'POST', api('/timetable-slots'), {
      token: w.admin.token,
      body: { organization_id: w.org.id, day_of_week: 1, start_time: '9am', end_time: '10:00' },
    });
    expectError(p, 400, 'validation_failed');
    const d = p.data.error.details.find((x: any) => x.field === 'start_time');
    assert.equal(d.message, 'is not in the expected format (e.g. 09:00)');
    assert.doesNotMatch(p.body, /\^|\$"|\\\\d|\[0-9\]/);
    const f = await call(app, 'GET', api('/courses/not-a-uuid'), { token: w.admin.token });
    assert.equal(f.data.error.details[0].message, 'must be a UUID');
  });

  it('a bad nullable field gives one message', async () => {
    const bare = Fastify({
      ajv: {
        customOptions: {
          removeAdditional: false,
          coerceTypes: 'array',
          useDefaults: true,
          allErrors: true,
          verbose: true,
        },
      } as never,
    });
    registerErrorHandler(bare);
    const Body = Type.Object(
      {
        plan: Type.Optional(Nullable(Type.Array(Type.Object({ amount: Type.Integer() }), { minItems: 1 }))),
        when: Type.Optional(Nullable(Type.String({ format: 'date' }))),
      },
      { additionalProperties: false },
    );
    bare.post('/x', { schema: { body: Body } }, async () => ({ ok: true }));
    const one = async (payload: object) => {
      const res = await bare.inject({ method: 'POST', url: '/x', payload });
      assert.equal(res.statusCode, 400);
      return res.json().error.details;
    };
    // Without the collapse each is three: the array branch, "must be null" and "must match a schema in anyOf".
    for (const plan of [7, 'monthly', { amount: 'x' }, true]) {
      const details = await one({ plan });
      assert.equal(details.length, 1, JSON.stringify(details));
      assert.doesNotMatch(details[0].message, /anyOf|must be null|schema/);
    }
    assert.deepEqual(await one({ plan: [{ amount: 'x' }] }), [
      { field: 'plan.0.amount', message: 'must be an integer', in: 'body' },
    ]);
    assert.deepEqual(await one({ when: 'soon' }), [
      { field: 'when', message: 'must be a date (YYYY-MM-DD)', in: 'body' },
    ]);
    await bare.close();
  });
});
