import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assessmentCategories,
  assessmentMarks,
  assessments,
  gradingScales,
} from '../src/modules/grades/index.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { clientToken, makeOneRosterWorld, orGet, SCOPE } from './helpers/oneroster.js';

type World = Awaited<ReturnType<typeof makeOneRosterWorld>>;
type School = World['a'];

/** Every GET endpoint of the rostering and gradebook services, walked for 200, 400, 401, 403 and 404. */
describe('OneRoster endpoints: 200, 400, 401, 403 and out-of-scope 404 for every read', () => {
  let app: App;
  let w: World;
  let paths: string[];
  const tokens: Record<string, string> = {};
  /** Per school: the sourcedId a path segment names. */
  const ids: Record<'a' | 'b', Record<string, string>> = { a: {}, b: {} };

  async function gradebookRows(s: School) {
    const db = app.deps.db;
    const [cat] = await db
      .insert(assessmentCategories)
      .values({ organizationId: s.school.id, classId: s.cls.id, name: 'Homework', weight: '40' })
      .returning();
    const [a] = await db
      .insert(assessments)
      .values({
        organizationId: s.school.id,
        classId: s.cls.id,
        categoryId: cat.id,
        name: 'HW 1',
        assessmentType: 'assignment',
        maxMarks: '10',
      })
      .returning();
    const [m] = await db
      .insert(assessmentMarks)
      .values({
        organizationId: s.school.id,
        assessmentId: a.id,
        studentId: s.students[0].id,
        classId: s.cls.id,
        marks: '7',
      })
      .returning();
    const [scale] = await db
      .insert(gradingScales)
      .values({
        organizationId: s.school.id,
        code: `pf-${s.school.id.slice(-6)}`,
        name: 'Pass/fail',
        bands: [
          { letter: 'P', min_percent: 50, grade_points: 0, is_passing: true },
          { letter: 'F', min_percent: 0, grade_points: 0, is_passing: false },
        ],
      })
      .returning();
    return { category: cat.id, lineItem: a.id, result: m.id, scale: scale.id };
  }

  before(async () => {
    app = await buildTestApp();
    w = await makeOneRosterWorld(app);
    tokens.all = (await clientToken(app, w.admin.token, w.a.school.id)).token;
    tokens.core = (await clientToken(app, w.admin.token, w.a.school.id, [SCOPE.rosterCore])).token;
    tokens.roster = (
      await clientToken(app, w.admin.token, w.a.school.id, [SCOPE.rosterCore, SCOPE.roster])
    ).token;
    tokens.gradebook = (await clientToken(app, w.admin.token, w.a.school.id, [SCOPE.gradebookRead])).token;
    for (const key of ['a', 'b'] as const) {
      const s = w[key];
      const g = await gradebookRows(s);
      Object.assign(ids[key], {
        orgs: s.school.id,
        schools: s.school.id,
        academicSessions: s.year.id,
        terms: s.term.id,
        gradingPeriods: s.period.id,
        courses: s.course.id,
        classes: s.cls.id,
        users: s.students[0].id,
        students: s.students[0].id,
        teachers: s.teacher.id,
        enrollments: s.students[0].enrollmentId,
        demographics: s.students[0].id,
        categories: g.category,
        lineItems: g.lineItem,
        results: g.result,
        scoreScales: g.scale,
      });
    }
    const doc = (await call(app, 'GET', '/openapi.json')).data;
    paths = Object.keys(doc.paths).filter(
      (p) => /^\/ims\/oneroster\/(rostering|gradebook)\/v1p2\//.test(p) && doc.paths[p].get,
    );
  });
  after(() => app.close());

  /** The path with its parameters filled from one school's records. */
  const fill = (path: string, school: 'a' | 'b') => {
    const [, , , , , first] = path.split('/');
    return path.replace('{id}', ids[school][first]).replace('{classId}', ids[school].classes);
  };
  /** A token lacking the scope this path needs. */
  const wrongToken = (path: string) => {
    if (path.includes('/gradebook/')) return tokens.roster;
    if (path.includes('/demographics')) return tokens.roster;
    const people = /\/(users|students|teachers|enrollments)(\/|$)/.test(path);
    return people ? tokens.core : tokens.gradebook;
  };

  test('the walk covers the binding', () => {
    assert.ok(paths.length >= 50, `only ${paths.length} GET paths`);
    for (const c of ['orgs', 'users', 'enrollments', 'demographics', 'lineItems', 'results', 'scoreScales']) {
      assert.ok(paths.some((p) => p.endsWith(`/${c}`)));
    }
  });

  test('200 with the right scope, in the client subtree', async () => {
    for (const path of paths) {
      const res = await orGet(app, tokens.all, fill(path, 'a'));
      assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
      const [key] = Object.keys(res.data);
      if (!path.endsWith('}')) {
        assert.ok(Array.isArray(res.data[key]), path);
        assert.ok(res.data[key].length > 0, `${path} is empty`);
        assert.ok(res.headers['x-total-count'], path);
      }
    }
  });

  test('400 for an unknown filter or selection field', async () => {
    for (const path of paths) {
      const query: Record<string, string> = path.endsWith('}') ? { fields: 'nope' } : { filter: "nope='x'" };
      const res = await orGet(app, tokens.all, fill(path, 'a'), query);
      assert.equal(res.statusCode, 400, `${path}: ${res.body}`);
      assert.equal(res.data.imsx_codeMajor, 'failure', path);
    }
  });

  test('401 without a token, 403 without the scope', async () => {
    for (const path of paths) {
      const url = fill(path, 'a');
      assert.equal((await orGet(app, '', url)).statusCode, 401, path);
      const res = await orGet(app, wrongToken(path), url);
      assert.equal(res.statusCode, 403, `${path}: ${res.body}`);
    }
  });

  test('404 for the other school', async () => {
    const withIds = paths.filter((p) => p.includes('{'));
    assert.ok(withIds.length >= 30);
    for (const path of withIds) {
      const res = await orGet(app, tokens.all, fill(path, 'b'));
      assert.equal(res.statusCode, 404, `${path}: ${res.body}`);
      assert.equal(res.data.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'unknownobject');
    }
  });
});
