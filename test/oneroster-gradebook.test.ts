import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { auditLogs } from '../src/kernel/audit.table.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { makeAssessment } from './helpers/grades.js';
import { clientToken, GRADEBOOK, makeOneRosterWorld, orGet, SCOPE } from './helpers/oneroster.js';

type World = Awaited<ReturnType<typeof makeOneRosterWorld>>;

function minor(res: { data: any }) {
  return res.data?.imsx_CodeMinor?.imsx_codeMinorField?.[0]?.imsx_codeMinorFieldValue;
}

describe('OneRoster gradebook and grade passback', () => {
  let app: App;
  let w: World;
  let token: string;
  let clientId: string;
  let readOnly: string;
  let rosterOnly: string;
  let assessmentId: string;
  let otherAssessmentId: string;

  const put = (path: string, body: unknown, t = token) =>
    call(app, 'PUT', `${GRADEBOOK}${path}`, { token: t, body });
  const post = (path: string, body: unknown, t = token) =>
    call(app, 'POST', `${GRADEBOOK}${path}`, { token: t, body });
  const nativeMark = async (aid: string, studentId: string) => {
    const r = await call(app, 'GET', `/api/v1/assessments/${aid}/marks`, { token: w.admin.token });
    assert.equal(r.statusCode, 200, r.body);
    return r.data.data.find((m: any) => m.student_id === studentId);
  };

  before(async () => {
    app = await buildTestApp();
    w = await makeOneRosterWorld(app);
    const c = await clientToken(app, w.admin.token, w.a.school.id, [
      SCOPE.gradebookRead,
      SCOPE.gradebookWrite,
    ]);
    token = c.token;
    clientId = c.client.client_id;
    readOnly = (await clientToken(app, w.admin.token, w.a.school.id, [SCOPE.gradebookRead])).token;
    rosterOnly = (await clientToken(app, w.admin.token, w.a.school.id, [SCOPE.roster])).token;
    assessmentId = await makeAssessment(app, w.admin.token, {
      class_id: w.a.cls.id,
      name: 'Quiz 1',
      max_marks: 20,
    });
    otherAssessmentId = await makeAssessment(app, w.admin.token, {
      class_id: w.b.cls.id,
      name: 'B Quiz',
      max_marks: 20,
    });
  });
  after(() => app.close());

  test('reads: lineItems, results, categories and score scales in the client subtree', async () => {
    const li = await orGet(app, readOnly, `${GRADEBOOK}/lineItems`);
    assert.equal(li.statusCode, 200, li.body);
    assert.deepEqual(
      li.data.lineItems.map((x: any) => x.sourcedId),
      [assessmentId],
    );
    const one = await orGet(app, readOnly, `${GRADEBOOK}/lineItems/${assessmentId}`);
    assert.equal(one.data.lineItem.title, 'Quiz 1');
    assert.equal(one.data.lineItem.resultValueMax, 20);
    assert.equal(one.data.lineItem.class.sourcedId, w.a.cls.id);
    const byClass = await orGet(app, readOnly, `${GRADEBOOK}/classes/${w.a.cls.id}/lineItems`);
    assert.equal(byClass.data.lineItems.length, 1);
    const scales = await orGet(app, readOnly, `${GRADEBOOK}/scoreScales`);
    assert.ok(scales.data.scoreScales.length >= 3, scales.body);
    assert.ok(scales.data.scoreScales[0].scoreScaleValue.length > 0);
    assert.equal((await orGet(app, readOnly, `${GRADEBOOK}/categories`)).statusCode, 200);
    const out = await orGet(app, readOnly, `${GRADEBOOK}/lineItems/${otherAssessmentId}`);
    assert.deepEqual([out.statusCode, minor(out)], [404, 'unknownobject']);
    const rr = await orGet(app, rosterOnly, `${GRADEBOOK}/lineItems`);
    assert.deepEqual([rr.statusCode, minor(rr)], [403, 'forbidden']);
    assert.equal((await orGet(app, '', `${GRADEBOOK}/results`)).statusCode, 401);
  });

  test('PUT results/{id} changes the native mark, with an audit row naming the client', async () => {
    const s = w.a.students[0];
    const rid = randomUUID();
    const body = (score: number) => ({
      result: {
        sourcedId: rid,
        lineItem: { sourcedId: assessmentId },
        student: { sourcedId: s.id },
        scoreStatus: 'fully graded',
        score,
        comment: 'Well argued',
      },
    });
    const created = await put(`/results/${rid}`, body(17));
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.data.result.sourcedId, rid);
    assert.equal(created.data.result.score, 17);
    let mark = await nativeMark(assessmentId, s.id);
    assert.deepEqual([mark.id, mark.marks, mark.state, mark.comment], [rid, 17, 'scored', 'Well argued']);
    const updated = await put(`/results/${rid}`, body(18.5));
    assert.equal(updated.statusCode, 200, updated.body);
    mark = await nativeMark(assessmentId, s.id);
    assert.equal(mark.marks, 18.5);
    const audits = await app.deps.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, 'marks.write'), eq(auditLogs.entityId, assessmentId)));
    assert.equal(audits.length, 2);
    for (const a of audits) assert.equal(a.actorUsername, `api-client:${clientId}`);
    assert.ok(JSON.stringify(audits.map((a) => a.after)).includes('18.5'));
    const read = await orGet(app, token, `${GRADEBOOK}/lineItems/${assessmentId}/results`);
    assert.deepEqual(
      read.data.results.map((r: any) => [r.sourcedId, r.score, r.scoreStatus]),
      [[rid, 18.5, 'fully graded']],
    );
    // exempt → excused
    const exempt = await put(`/results/${randomUUID()}`, {
      result: {
        lineItem: { sourcedId: assessmentId },
        student: { sourcedId: w.a.students[1].id },
        scoreStatus: 'exempt',
      },
    });
    assert.equal(exempt.statusCode, 201, exempt.body);
    assert.equal((await nativeMark(assessmentId, w.a.students[1].id)).state, 'excused');
  });

  test('PUT results: 400, 401, 403, 404 and the grades rules (422)', async () => {
    const r = (over: Record<string, unknown> = {}) => ({
      result: {
        lineItem: { sourcedId: assessmentId },
        student: { sourcedId: w.a.students[2].id },
        scoreStatus: 'fully graded',
        score: 10,
        ...over,
      },
    });
    const id = randomUUID();
    let res = await put(`/results/${id}`, r({ score: null }));
    assert.deepEqual([res.statusCode, minor(res)], [400, 'invaliddata'], res.body);
    res = await put(`/results/${id}`, r({ scoreStatus: 'great' }));
    assert.deepEqual([res.statusCode, minor(res)], [400, 'invaliddata']);
    res = await put(`/results/${id}`, r({ grade: 'A' }));
    assert.equal(res.statusCode, 400);
    res = await put('/results/not-a-uuid', r());
    assert.equal(res.statusCode, 400);
    assert.equal((await put(`/results/${id}`, r(), '')).statusCode, 401);
    res = await put(`/results/${id}`, r(), readOnly);
    assert.deepEqual([res.statusCode, minor(res)], [403, 'forbidden']);
    res = await put(
      `/results/${id}`,
      r({ lineItem: { sourcedId: otherAssessmentId }, student: { sourcedId: w.b.students[0].id } }),
    );
    assert.deepEqual([res.statusCode, minor(res)], [404, 'unknownobject'], res.body);
    res = await put(`/results/${id}`, r({ student: { sourcedId: w.b.students[0].id } }));
    assert.equal(res.statusCode, 422, res.body);
    res = await put(`/results/${id}`, r({ score: 21 }));
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(await nativeMark(otherAssessmentId, w.b.students[0].id), undefined);
  });

  test('PUT lineItems/{id} creates then updates an assessment; POST class lineItems and results', async () => {
    const id = randomUUID();
    const li = (title: string, max = 50) => ({
      lineItem: { title, assignDate: '2026-10-01', class: { sourcedId: w.a.cls.id }, resultValueMax: max },
    });
    const created = await put(`/lineItems/${id}`, li('Essay'));
    assert.equal(created.statusCode, 201, created.body);
    const native = await call(app, 'GET', `/api/v1/assessments/${id}`, { token: w.admin.token });
    assert.deepEqual(
      [native.data.data.name, native.data.data.max_marks, native.data.data.class_id],
      ['Essay', 50, w.a.cls.id],
    );
    const updated = await put(`/lineItems/${id}`, li('Essay (final)', 60));
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.data.lineItem.title, 'Essay (final)');
    const [audit] = await app.deps.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.entityId, id), eq(auditLogs.action, 'update')));
    assert.equal(audit.actorUsername, `api-client:${clientId}`);
    let res = await put(`/lineItems/${id}`, {
      lineItem: { ...li('x').lineItem, class: { sourcedId: w.b.cls.id } },
    });
    assert.equal(res.statusCode, 400, res.body);
    res = await put(`/lineItems/${otherAssessmentId}`, {
      lineItem: { ...li('x').lineItem, class: { sourcedId: w.b.cls.id } },
    });
    assert.deepEqual([res.statusCode, minor(res)], [404, 'unknownobject']);
    res = await put(`/lineItems/${randomUUID()}`, {
      lineItem: { ...li('x').lineItem, class: { sourcedId: w.b.cls.id } },
    });
    assert.deepEqual([res.statusCode, minor(res)], [404, 'unknownobject']);
    res = await put(`/lineItems/${randomUUID()}`, { lineItem: { title: 'no class', resultValueMax: 5 } });
    assert.equal(res.statusCode, 400);
    assert.equal((await put(`/lineItems/${randomUUID()}`, li('x'), readOnly)).statusCode, 403);
    assert.equal((await put(`/lineItems/${randomUUID()}`, li('x'), '')).statusCode, 401);

    const supplied = randomUUID();
    const posted = await post(`/classes/${w.a.cls.id}/lineItems`, {
      lineItems: [
        { sourcedId: supplied, title: 'Lab 1', resultValueMax: 10 },
        { title: 'Lab 2', resultValueMax: 10 },
      ],
    });
    assert.equal(posted.statusCode, 201, posted.body);
    assert.equal(posted.data.sourcedIdPairs[0].allocatedSourcedId, supplied);
    assert.equal(posted.data.sourcedIdPairs[1].suppliedSourcedId, null);
    res = await post(`/classes/${w.b.cls.id}/lineItems`, { lineItems: [{ title: 'B', resultValueMax: 10 }] });
    assert.equal(res.statusCode, 404);

    const results = await post(`/lineItems/${supplied}/results`, {
      results: w.a.students.map((s, i) => ({
        student: { sourcedId: s.id },
        scoreStatus: 'fully graded',
        score: i + 5,
      })),
    });
    assert.equal(results.statusCode, 201, results.body);
    assert.equal(results.data.sourcedIdPairs.length, 4);
    assert.equal((await nativeMark(supplied, w.a.students[3].id)).marks, 8);
    res = await post(`/lineItems/${supplied}/results`, {
      results: [{ student: { sourcedId: w.a.students[0].id }, scoreStatus: 'fully graded', score: 11 }],
    });
    assert.equal(res.statusCode, 422, res.body);
    assert.equal((await nativeMark(supplied, w.a.students[0].id)).marks, 5);
    res = await post(`/lineItems/${otherAssessmentId}/results`, {
      results: [{ student: { sourcedId: w.b.students[0].id }, scoreStatus: 'fully graded', score: 1 }],
    });
    assert.equal(res.statusCode, 404);
  });
});
