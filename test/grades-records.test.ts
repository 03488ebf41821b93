import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeAssessment, makeGradesWorld } from './helpers/grades.js';

const V = '/api/v1';

/** The text of a PDF, extracted with pdftotext (poppler-utils): a report card is checked by what it says. */
function pdfText(body: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'grades-pdf-'));
  try {
    const f = join(dir, 'doc.pdf');
    writeFileSync(f, body);
    return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('grades: records, report card and transcript', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeGradesWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeGradesWorld(app, 4);
    const a = await makeAssessment(app, w.teacher.token, {
      class_id: w.cls.id,
      max_marks: 100,
      assessment_type: 'final',
    });
    const [s0, s1, s2, s3] = w.students;
    await call(app, 'POST', `${V}/assessments/${a}/marks`, {
      token: w.teacher.token,
      body: {
        marks: [
          { student_id: s0.id, marks: 91 },
          { student_id: s1.id, marks: 78 },
          { student_id: s2.id, marks: 91 },
          { student_id: s3.id, marks: 35 },
        ],
      },
    });
    const pub = await call(app, 'POST', `${V}/grades/publish`, {
      token: w.admin.token,
      body: { academic_session_id: w.term.id },
    });
    expectStatus(pub, 200);
    assert.equal(pub.data.data.posted, 4);
  });
  after(() => app.close());

  it('ranks with ties in the live gradebook and in posted results', async () => {
    const live = await call(app, 'GET', `${V}/students/${w.students[1].id}/performance`, {
      token: w.teacher.token,
    });
    const c = live.data.data.courses[0];
    assert.deepEqual([c.source, c.percent, c.rank, c.class_size], ['gradebook', 78, 3, 4]);
    const own = await call(app, 'GET', `${V}/students/${w.students[0].id}/performance`, {
      token: w.students[0].token,
    });
    const p = own.data.data.courses[0];
    assert.deepEqual([p.source, p.letter, p.rank, p.assessments.length], ['posted', 'O', 1, 0]);
    const parent = await call(app, 'GET', `${V}/students/${w.students[0].id}/performance`, {
      token: w.parent.token,
    });
    expectStatus(parent, 200);
    expectError(
      await call(app, 'GET', `${V}/students/${w.students[1].id}/performance`, { token: w.parent.token }),
      404,
    );
  });

  it('report card PDF names the institution, the student, the term, each course and the SGPA', async () => {
    const s = w.students[0];
    const res = await app.inject({
      method: 'GET',
      url: `${V}/students/${s.id}/report-card`,
      query: { academic_session_id: w.term.id },
      headers: { authorization: `Bearer ${s.token}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /application\/pdf/);
    const text = pdfText(res.rawPayload);
    assert.match(text, new RegExp(w.org.name));
    assert.match(text, /Report Card/);
    assert.match(text, new RegExp(s.studentNumber));
    assert.match(text, /Fall 2026/);
    assert.match(text, /Algorithms/);
    assert.match(text, /Term GPA \(SGPA\): 10\.00/);
    const json = await call(app, 'GET', `${V}/students/${s.id}/report-card`, {
      token: s.token,
      query: { academic_session_id: w.term.id },
      headers: { accept: 'application/json' },
    });
    expectStatus(json, 200);
    assert.equal(json.data.data.institution, w.org.name);
    assert.equal(json.data.data.sgpa, 10);
    assert.equal(json.data.data.courses[0].letter, 'O');
  });

  it('transcript PDF lists every term with its SGPA, the CGPA and credits, and the failing grade', async () => {
    const s = w.students[3];
    const res = await app.inject({
      method: 'GET',
      url: `${V}/students/${s.id}/transcript`,
      headers: { authorization: `Bearer ${w.admin.token}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    const text = pdfText(res.rawPayload);
    assert.match(text, /Academic Transcript/);
    assert.match(text, new RegExp(w.org.name));
    assert.match(text, /Fall 2026 +— +SGPA 0\.00/);
    assert.match(text, /Algorithms +4\.0 +F +0\.00/);
    assert.match(text, /Cumulative GPA \(CGPA\): 0\.00/);
    assert.match(text, /Credits attempted: 4\.0 +Credits earned: 0\.0/);
    const json = await call(app, 'GET', `${V}/students/${s.id}/transcript`, {
      token: w.admin.token,
      headers: { accept: 'application/json' },
    });
    assert.deepEqual(
      [json.data.data.cgpa, json.data.data.terms.length, json.data.data.credits_earned],
      [0, 1, 0],
    );
  });

  it('honor roll uses the organization threshold and ranks ties together', async () => {
    expectStatus(
      await call(app, 'PUT', `${V}/grade-settings/${w.org.id}`, {
        token: w.admin.token,
        body: { honor_roll_min_gpa: 8 },
      }),
      200,
    );
    const hr = await call(app, 'GET', `${V}/reports/honor-roll`, {
      token: w.teacher.token,
      query: { academic_session_id: w.term.id },
    });
    expectStatus(hr, 200);
    assert.equal(hr.data.threshold, 8);
    // 91, 91 → O (10), 78 → A (8): ranks 1, 1, 3; the F is not on the roll.
    assert.deepEqual(
      hr.data.data.map((r: { rank: number; sgpa: number }) => [r.rank, r.sgpa]),
      [
        [1, 10],
        [1, 10],
        [3, 8],
      ],
    );
  });
});
