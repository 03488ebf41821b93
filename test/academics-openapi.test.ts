import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call } from './helpers/app.js';

const ENDPOINTS: Array<[string, string]> = [
  ...['/departments', '/programs', '/courses', '/subjects', '/academic-sessions', '/classes'].flatMap(
    (p): Array<[string, string]> => [
      ['post', p],
      ['get', p],
      ['get', `${p}/{id}`],
      ['put', `${p}/{id}`],
      ['patch', `${p}/{id}`],
      ['delete', `${p}/{id}`],
    ],
  ),
  ['get', '/departments/{id}/faculty'],
  ['get', '/departments/{id}/students'],
  ['get', '/departments/{id}/courses'],
  ['get', '/programs/{id}/courses'],
  ['post', '/programs/{id}/courses'],
  ['delete', '/programs/{id}/courses/{course_id}'],
  ['get', '/courses/{id}/prerequisites'],
  ['post', '/courses/{id}/prerequisites'],
  ['delete', '/courses/{id}/prerequisites'],
  ['delete', '/courses/{id}/prerequisites/{prerequisite_course_id}'],
  ['get', '/classes/{id}/students'],
  ['put', '/classes/{id}/students'],
  ['post', '/classes/{id}/students'],
  ['delete', '/classes/{id}/students/{student_id}'],
  ['get', '/classes/{id}/teachers'],
  ['post', '/teaching-assignments'],
  ['get', '/teaching-assignments'],
  ['delete', '/teaching-assignments/{id}'],
  ['get', '/faculty/{id}/classes'],
  ['post', '/enrollments'],
  ['post', '/enrollments/bulk'],
  ['get', '/enrollments'],
  ['get', '/enrollments/{id}'],
  ['put', '/enrollments/{id}'],
  ['delete', '/enrollments/{id}'],
  ['post', '/students/enroll'],
  ['get', '/students/{id}/enrollments'],
  ['get', '/students/me/enrollments'],
  ['post', '/program-enrollments'],
  ['get', '/program-enrollments'],
  ['get', '/program-enrollments/{id}'],
  ['put', '/program-enrollments/{id}'],
  ['get', '/program-enrollments/verify-eligibility'],
];

/** True when the schema or any nested property carries `examples`. */
function hasExamples(s: any, depth = 0): boolean {
  if (!s || typeof s !== 'object' || depth > 12) return false;
  if (s.example !== undefined) return true;
  if (Array.isArray(s.examples) && s.examples.length) return true;
  return Object.values(s).some((v) => hasExamples(v, depth + 1));
}

describe('academic structure in /openapi.json', () => {
  let app: App;
  let doc: any;
  before(async () => {
    app = await buildTestApp();
    doc = (await call(app, 'GET', '/openapi.json')).data;
  });
  after(() => app.close());

  it('should document every endpoint with a success schema, error responses and examples', () => {
    for (const [method, path] of ENDPOINTS) {
      const op = doc.paths[`/api/v1${path}`]?.[method];
      assert.ok(op, `${method.toUpperCase()} ${path} is missing`);
      assert.ok(op.summary, `${method} ${path} summary`);
      assert.ok(op.tags?.length, `${method} ${path} tags`);
      const codes = Object.keys(op.responses);
      assert.ok(
        codes.some((c) => /^2/.test(c)),
        `${method} ${path} success response`,
      );
      for (const c of ['400', '401', '403']) assert.ok(codes.includes(c), `${method} ${path} documents ${c}`);
      if (op.requestBody) {
        assert.ok(hasExamples(op.requestBody), `${method} ${path} request examples`);
      }
      if (/\{/.test(path))
        assert.ok(
          op.parameters?.some((p: any) => p.in === 'path'),
          `${method} ${path} params`,
        );
      if (method !== 'delete' && /^2/.test(codes[0])) {
        const ok = op.responses['200'] ?? op.responses['201'];
        assert.ok(ok?.content?.['application/json']?.schema, `${method} ${path} response schema`);
      }
    }
  });
});
