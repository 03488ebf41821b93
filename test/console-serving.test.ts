// The web console served by the API process (src/kernel/console.ts): assets, the single-page-app fallback
// for browser navigations, and never a console page where the API, the docs or the probes answer.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type App, buildTestApp, call } from './helpers/app.js';

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
let app: App;
let bare: App;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>Registrar console</title><div id="root"></div>',
  );
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("hi")');
  writeFileSync(join(dir, 'assets', 'notes.txt'), 'not a served type');
  const make = (consoleDir: string) => buildTestApp({}, {}, { consoleDir });
  app = await make(dir);
  bare = await make(join(dir, 'missing'));
});
after(async () => {
  await app?.close();
  await bare?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the web console', () => {
  test('/ and the console’s own paths answer index.html to a browser', async () => {
    for (const url of [
      '/',
      '/classes/0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
      '/teach/x/attendance?date=2026-01-05',
    ]) {
      const res = await call(app, 'GET', url, { headers: html });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      assert.match(res.body, /Registrar console/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      // helmet's CSP lets the page load its own scripts.
      assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
    }
  });

  test('serves the built assets with a long cache, and only files of the build', async () => {
    const res = await call(app, 'GET', '/assets/index-abc123.js');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/javascript/);
    assert.match(res.headers['cache-control'] as string, /immutable/);
    assert.equal(res.body, 'console.log("hi")');
    for (const url of ['/assets/notes.txt', '/assets/missing.js', '/assets/..%2Findex.html']) {
      const r = await call(app, 'GET', url, { headers: html });
      assert.equal(r.statusCode, 404, url);
      assert.equal(r.data.error.code, 'not_found');
    }
  });

  test('never answers the console for the API, the docs, the OpenAPI document or the probes', async () => {
    for (const url of [
      '/api/v1/nope',
      '/api/v1',
      '/ims/oneroster/nope',
      '/docs/nope',
      '/health/x',
      '/ready/x',
      '/metrics/x',
    ]) {
      const res = await call(app, 'GET', url, { headers: html });
      assert.notEqual(res.statusCode, 200, url);
      assert.doesNotMatch(res.body, /Registrar console/, url);
    }
    const api = await call(app, 'GET', '/api/v1/nope', { headers: html });
    assert.equal(api.statusCode, 404);
    assert.equal(api.data.error.code, 'not_found');
    assert.equal((await call(app, 'GET', '/health', { headers: html })).data.status, 'ok');
    assert.equal((await call(app, 'GET', '/openapi.json', { headers: html })).data.openapi, '3.1.0');
  });

  test('a non-browser request or another method still gets the API’s 404 envelope', async () => {
    const json = await call(app, 'GET', '/classes', { headers: { accept: 'application/json' } });
    assert.equal(json.statusCode, 404);
    assert.equal(json.data.error.code, 'not_found');
    const post = await call(app, 'POST', '/classes', { headers: html, body: {} });
    assert.equal(post.statusCode, 404);
    assert.equal(post.data.error.code, 'not_found');
  });

  test('without a build, a browser gets a page saying how to build the console (503)', async () => {
    const res = await call(bare, 'GET', '/', { headers: html });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build:web/);
  });
});

describe('GET /auth/providers', () => {
  test('says Google sign-in is off unless configured', async () => {
    const res = await call(app, 'GET', '/api/v1/auth/providers');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.data.data, { password: true, google: null });
  });

  test('gives the client id when OIDC_GOOGLE_CLIENT_ID is set, and CSP then allows Google’s script', async () => {
    const g = await buildTestApp({ OIDC_GOOGLE_CLIENT_ID: 'abc.apps.googleusercontent.com' });
    try {
      const res = await call(g, 'GET', '/api/v1/auth/providers');
      assert.deepEqual(res.data.data, {
        password: true,
        google: { client_id: 'abc.apps.googleusercontent.com' },
      });
      assert.match(
        res.headers['content-security-policy'] as string,
        /script-src[^;]*https:\/\/accounts\.google\.com/,
      );
    } finally {
      await g.close();
    }
  });
});
