import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assignTeacher, makeClass, makeFaculty, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeWorld } from './helpers/factories.js';

/** Issue 11: rosters set by student number or roll number, not only by student id. */
describe('class rosters by student number or roll number', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'school');
  });
  after(() => app.close());

  it('should set and extend a roster by student numbers and roll numbers, and name unknown or ambiguous ones', async () => {
    const cls = await makeClass(app, w.org);
    const teacher = await makeFaculty(app, w.org);
    await assignTeacher(app, teacher.id, cls.id);
    const tag = uniq();
    const ss = await Promise.all(
      [1, 2, 3].map((i) => makeStudent(app, w.org, { studentNumber: `N${tag}-${i}`, rollNo: `${tag}${i}` })),
    );
    // The same number in another organization is not this class's student.
    const other = await makeStudent(app, w.otherOrg, { studentNumber: `N${tag}-9` });
    const url = `/api/v1/classes/${cls.id}/students`;
    const put = (body: object, token = teacher.token) => call(app, 'PUT', url, { token, body });

    const r1 = await put({ student_numbers: [`N${tag}-1`, `N${tag}-2`] });
    expectStatus(r1, 200);
    assert.deepEqual(r1.data.data.student_ids.sort(), [ss[0].id, ss[1].id].sort());
    const r2 = await call(app, 'POST', url, { token: teacher.token, body: { roll_numbers: [`${tag}3`] } });
    expectStatus(r2, 201);
    assert.equal(r2.data.data[0].student_id, ss[2].id);

    const unknown = await put({ student_numbers: [`N${tag}-1`, `N${tag}-9`, 'NOPE'] });
    expectError(unknown, 422, 'unknown_students');
    assert.deepEqual(
      unknown.data.error.details.map((d: { value: string }) => d.value),
      [`N${tag}-9`, 'NOPE'],
    );
    assert.ok(other.id);
    await makeStudent(app, w.org, { rollNo: `${tag}1` }); // a second pupil with roll number …1
    expectError(await put({ roll_numbers: [`${tag}1`] }), 422, 'ambiguous_roll_numbers');

    // Exactly one list: none or two is 400; a class outside scope is 404.
    expectError(await put({}), 400);
    expectError(await put({ student_ids: [ss[0].id], student_numbers: [`N${tag}-1`] }), 400);
    expectError(await put({ student_numbers: [''] }), 400);
    expectError(await put({ student_numbers: [`N${tag}-1`] }, w.otherAdmin.token), 404);
    const roster = await call(app, 'GET', url, { token: teacher.token });
    assert.equal(roster.data.meta.total, 3);
  });
});
