import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PHOTO_MAX_BYTES, sniffImage } from '../src/modules/students/index.js';
import { makeFaculty, makeParent, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeWorld } from './helpers/factories.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(64, 3)]);
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x40, 0, 0, 0]),
  Buffer.from('WEBPVP8 '),
  Buffer.alloc(64),
]);

/** A multipart/form-data body with one file part; name and declared type are deliberately lies. */
function form(content: Buffer, filename = 'photo.txt', type = 'text/plain') {
  const boundary = `----registrar${Date.now()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        `Content-Type: ${type}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
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

describe('student and faculty photos', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let filesDir: string;
  before(async () => {
    filesDir = await mkdtemp(join(tmpdir(), 'registrar-photos-'));
    app = await buildTestApp({}, { filesDir });
    w = await makeWorld(app, 'university');
  });
  after(async () => {
    await app.close();
    await rm(filesDir, { recursive: true, force: true });
  });

  const upload = (
    url: string,
    token: string | undefined,
    content: Buffer,
    filename?: string,
    type?: string,
  ) => {
    const f = form(content, filename, type);
    return app
      .inject({
        method: 'POST',
        url,
        payload: f.payload,
        headers: { ...f.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      })
      .then((res) => Object.assign(res, { data: JSON.parse(res.body) }));
  };

  it('should sniff JPEG, PNG and WebP by their bytes only', () => {
    assert.equal(sniffImage(PNG), 'image/png');
    assert.equal(sniffImage(JPEG), 'image/jpeg');
    assert.equal(sniffImage(WEBP), 'image/webp');
    assert.equal(sniffImage(Buffer.from('GIF89a......')), null);
    assert.equal(sniffImage(Buffer.from('<svg xmlns=')), null);
  });

  it('should store a photo by its content type, stream it back and replace it', async () => {
    const st = await makeStudent(app, w.org);
    const res = await upload(
      `/api/v1/students/${st.id}/upload-photo`,
      w.admin.token,
      PNG,
      'me.txt',
      'text/plain',
    );
    expectStatus(res, 200);
    assert.deepEqual(res.data.data, { content_type: 'image/png', size: PNG.length });
    const get = await app.inject({
      method: 'GET',
      url: `/api/v1/students/${st.id}/photo`,
      headers: { authorization: `Bearer ${w.admin.token}` },
    });
    expectStatus(get, 200);
    assert.equal(get.headers['content-type'], 'image/png');
    assert.ok(get.rawPayload.equals(PNG));
    const s = await call(app, 'GET', `/api/v1/students/${st.id}`, { token: w.admin.token });
    assert.equal(s.data.data.has_photo, true);
    assert.ok(!JSON.stringify(s.data).includes(`students/${st.id}/`), 'the storage key never leaks');

    expectStatus(await upload(`/api/v1/students/${st.id}/upload-photo`, w.admin.token, WEBP), 200);
    const stored = await files(join(filesDir, 'students', st.id));
    assert.equal(stored.length, 1, 'the replaced photo was deleted');
    const again = await app.inject({
      method: 'GET',
      url: `/api/v1/students/${st.id}/photo`,
      headers: { authorization: `Bearer ${w.admin.token}` },
    });
    assert.equal(again.headers['content-type'], 'image/webp');
  });

  it('should answer 415 for a non-image named .png and 413 past 5 MB, storing nothing', async () => {
    const st = await makeStudent(app, w.org);
    const url = `/api/v1/students/${st.id}/upload-photo`;
    const fake = await upload(
      url,
      w.admin.token,
      Buffer.from('GIF89a not allowed here'),
      'x.png',
      'image/png',
    );
    expectError(fake, 415, 'unsupported_media_type');
    const html = await upload(url, w.admin.token, Buffer.from('<html>'), 'x.jpg', 'image/jpeg');
    expectError(html, 415);
    const big = Buffer.concat([PNG, Buffer.alloc(PHOTO_MAX_BYTES + 1 - PNG.length)]);
    expectError(await upload(url, w.admin.token, big), 413, 'payload_too_large');
    assert.deepEqual(await files(join(filesDir, 'students', st.id)), []);
    assert.deepEqual(await files(join(filesDir, '.tmp')), [], 'no temporary file left behind');
    const s = await call(app, 'GET', `/api/v1/students/${st.id}`, { token: w.admin.token });
    assert.equal(s.data.data.has_photo, false);
    expectError(await call(app, 'GET', `/api/v1/students/${st.id}/photo`, { token: w.admin.token }), 404);
    // Exactly 5 MB is allowed.
    const max = Buffer.concat([JPEG, Buffer.alloc(PHOTO_MAX_BYTES - JPEG.length)]);
    const ok = await upload(url, w.admin.token, max);
    expectStatus(ok, 200);
    assert.equal(ok.data.data.size, PHOTO_MAX_BYTES);
  });

  it('should answer 400 without a file part, 401 without a token, 403 for faculty', async () => {
    const st = await makeStudent(app, w.org);
    const url = `/api/v1/students/${st.id}/upload-photo`;
    const json = await call(app, 'POST', url, { token: w.admin.token, body: { file: 'x' } });
    expectError(json, 400);
    expectError(await upload(url, undefined, PNG), 401);
    const teacher = await makeFaculty(app, w.org);
    expectError(await upload(url, teacher.token, PNG), 403, 'forbidden');
    expectError(await upload(`/api/v1/students/not-a-uuid/upload-photo`, w.admin.token, PNG), 400);
  });

  it('should let a student upload their own photo only, and parents read their child', async () => {
    const me = await makeStudent(app, w.org, {}, { login: true });
    const other = await makeStudent(app, w.org);
    expectStatus(await upload(`/api/v1/students/${me.id}/upload-photo`, me.token, JPEG), 200);
    expectError(await upload(`/api/v1/students/${other.id}/upload-photo`, me.token, JPEG), 404);
    const foreign = await makeStudent(app, w.otherOrg);
    expectError(await upload(`/api/v1/students/${foreign.id}/upload-photo`, w.admin.token, JPEG), 404);
    const parent = await makeParent(app, w.org, [me.id]);
    expectStatus(
      await app.inject({
        method: 'GET',
        url: `/api/v1/students/${me.id}/photo`,
        headers: { authorization: `Bearer ${parent.token}` },
      }),
      200,
    );
    expectError(
      await call(app, 'GET', `/api/v1/students/${me.id}/photo`, { token: w.otherAdmin.token }),
      404,
    );
  });

  it('should handle faculty photos: self or managers, 403 for students, 404 across tenants', async () => {
    const t1 = await makeFaculty(app, w.org);
    const t2 = await makeFaculty(app, w.org);
    const own = await upload(`/api/v1/faculty/${t1.id}/upload-photo`, t1.token, PNG);
    expectStatus(own, 200);
    assert.equal(own.data.data.content_type, 'image/png');
    expectError(await upload(`/api/v1/faculty/${t2.id}/upload-photo`, t1.token, PNG), 404);
    expectStatus(await upload(`/api/v1/faculty/${t2.id}/upload-photo`, w.admin.token, JPEG), 200);
    expectError(await upload(`/api/v1/faculty/${t2.id}/upload-photo`, w.otherAdmin.token, JPEG), 404);
    const st = await makeStudent(app, w.org, {}, { login: true });
    expectError(await upload(`/api/v1/faculty/${t2.id}/upload-photo`, st.token, JPEG), 403);
    expectError(await upload(`/api/v1/faculty/${t2.id}/upload-photo`, undefined, JPEG), 401);
    expectError(
      await upload(`/api/v1/faculty/${t2.id}/upload-photo`, w.admin.token, Buffer.from('%PDF-1.7 hi')),
      415,
    );
    const get = await app.inject({
      method: 'GET',
      url: `/api/v1/faculty/${t2.id}/photo`,
      headers: { authorization: `Bearer ${t1.token}` },
    });
    expectStatus(get, 200);
    assert.equal(get.headers['content-type'], 'image/jpeg');
    const f = await call(app, 'GET', `/api/v1/faculty/${t1.id}`, { token: w.admin.token });
    assert.equal(f.data.data.has_photo, true);
  });
});
