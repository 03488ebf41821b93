import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

/** Every (method, path) the router knows, from Fastify's route tree (HEAD/OPTIONS and wildcards left out). */
function registeredRoutes(app: App): Array<{ method: string; url: string }> {
  const out: Array<{ method: string; url: string }> = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^(.*?)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = Math.round(m[1].length / 4);
    stack.length = depth;
    stack.push(m[2]);
    const url = stack.join('');
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) {
      if (method === 'HEAD' || method === 'OPTIONS' || url.includes('*')) continue;
      out.push({ method, url });
    }
  }
  return out;
}

describe('platform', () => {
  let app: App;
  before(async () => {
    app = await buildTestApp({
      RATE_LIMIT_AUTH_MAX: '3',
      METRICS_TOKEN,
      BODY_LIMIT_BYTES: '2048',
      CORS_ORIGINS: 'https://app.northfield.example.edu',
    });
  });
  after(() => app.close());

  describe('probes and metrics', () => {
    it('should answer /health and /ready', async () => {
      const h = await call(app, 'GET', '/health');
      expectStatus(h, 200);
      assert.deepEqual(h.data, { status: 'ok' });
      const r = await call(app, 'GET', '/ready');
      expectStatus(r, 200);
      assert.equal(r.data.status, 'ready');
      assert.equal(r.data.database, app.deps.database.kind);
    });

    it('should serve Prometheus text at /metrics behind METRICS_TOKEN', async () => {
      await call(app, 'GET', '/health');
      const res = await call(app, 'GET', '/metrics', { token: METRICS_TOKEN });
      expectStatus(res, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      assert.match(res.body, /^# HELP /m);
      assert.match(res.body, /http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
      assert.match(res.body, /http_request_duration_seconds_bucket/);
      expectError(await call(app, 'GET', '/metrics'), 401, 'unauthenticated');
      expectError(await call(app, 'GET', '/metrics', { token: 'wrong' }), 401);
    });
  });

  describe('OpenAPI and docs', () => {
    it('should document every registered route with its request and response schemas', async () => {
      const res = await call(app, 'GET', '/openapi.json');
      expectStatus(res, 200);
      const doc = res.data;
      assert.equal(doc.openapi, '3.1.0');
      const routes = registeredRoutes(app).filter((r) => !r.url.startsWith('/docs'));
      assert.ok(routes.length >= 30, `only ${routes.length} routes found`);
      // Actions whose whole input is the path: they take no body.
      const bodyless = new Set([
        'POST /api/v1/auth/logout',
        'POST /api/v1/auth/verify-email/request',
        'POST /api/v1/fee-structures/:id/apply',
        'PUT /api/v1/notifications/:id/read',
        'POST /api/v1/attendance/settings/:organization_id/lock',
        'POST /api/v1/library/holds/expire',
        'POST /api/v1/api-clients/:id/rotate',
        'POST /api/v1/timetable/feeds/:id/rotate',
      ]);
      const missing: string[] = [];
      for (const { method, url } of routes) {
        const path = url.replace(/:([A-Za-z_]+)/g, '{$1}');
        const op = doc.paths?.[path]?.[method.toLowerCase()];
        const name = `${method} ${url}`;
        if (!op) {
          missing.push(`${name}: not documented`);
          continue;
        }
        if (!op.summary) missing.push(`${name}: no summary`);
        if (!op.tags?.length) missing.push(`${name}: no tags`);
        const statuses = Object.keys(op.responses ?? {});
        const ok = statuses.find((s) => s.startsWith('2'));
        if (!ok) missing.push(`${name}: no success response`);
        else if (ok !== '204' && !op.responses[ok].content) missing.push(`${name}: ${ok} has no schema`);
        if (url.startsWith('/api/') && !statuses.some((s) => s.startsWith('4')))
          missing.push(`${name}: no error responses`);
        for (const s of statuses.filter((x) => x.startsWith('4') || x.startsWith('5'))) {
          const schema = op.responses[s].content?.['application/json']?.schema;
          if (!schema) missing.push(`${name}: ${s} has no schema`);
        }
        if (['POST', 'PATCH', 'PUT'].includes(method) && !bodyless.has(name) && !op.requestBody)
          missing.push(`${name}: no request body schema`);
        if (url.includes(':') && !op.parameters?.some((p: any) => p.in === 'path'))
          missing.push(`${name}: no path parameters`);
      }
      assert.deepEqual(missing, []);
      assert.ok(doc.components?.schemas?.ErrorEnvelope, 'ErrorEnvelope component');
      assert.ok(doc.components?.securitySchemes?.bearerAuth);
      assert.deepEqual(doc.paths['/api/v1/users'].get.security, [{ bearerAuth: [] }]);
      assert.equal(doc.paths['/api/v1/auth/login'].post.security, undefined);
    });

    it('should serve the interactive docs as HTML at /docs', async () => {
      let res = await call(app, 'GET', '/docs');
      for (let i = 0; i < 3 && res.statusCode >= 300 && res.statusCode < 400; i++) {
        const loc = String(res.headers.location);
        res = await call(app, 'GET', loc.startsWith('/') ? loc : `/docs/${loc.replace(/^\.\//, '')}`);
      }
      expectStatus(res, 200);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.body, /swagger/i);
    });
  });

  describe('headers', () => {
    it('should send security headers on API responses', async () => {
      for (const res of [await call(app, 'GET', '/api/v1/auth/me'), await call(app, 'GET', '/health')]) {
        const h = res.headers;
        assert.equal(h['x-content-type-options'], 'nosniff');
        assert.ok(
          h['x-frame-options'] === 'SAMEORIGIN' ||
            /frame-ancestors/.test(String(h['content-security-policy'])),
        );
        assert.match(String(h['content-security-policy']), /default-src 'self'/);
        assert.match(String(h['strict-transport-security']), /max-age=\d+/);
        assert.ok(h['referrer-policy']);
        assert.ok(h['cross-origin-opener-policy']);
        assert.equal(h['x-powered-by'], undefined);
      }
    });

    it('should echo a well-formed x-request-id and replace a malformed one', async () => {
      const id = `trace-${uniq()}`;
      const res = await call(app, 'GET', '/api/v1/nope', { headers: { 'x-request-id': id } });
      assert.equal(res.headers['x-request-id'], id);
      assert.equal(res.data.error.request_id, id);
      const gen = await call(app, 'GET', '/health', {
        headers: { 'x-request-id': 'bad id with spaces <script>' },
      });
      assert.match(String(gen.headers['x-request-id']), /^[0-9a-f-]{36}$/);
      const none = await call(app, 'GET', '/health');
      assert.match(String(none.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });

    it('should allow configured CORS origins only', async () => {
      const pre = await app.inject({
        method: 'OPTIONS',
        url: '/api/v1/auth/login',
        headers: {
          origin: 'https://app.northfield.example.edu',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
      assert.ok(pre.statusCode < 300);
      assert.equal(pre.headers['access-control-allow-origin'], 'https://app.northfield.example.edu');
      const evil = await call(app, 'GET', '/health', { headers: { origin: 'https://evil.example' } });
      assert.equal(evil.headers['access-control-allow-origin'], undefined);
    });
  });

  describe('error envelope', () => {
    it('should answer 404 for an unknown route', async () => {
      expectError(await call(app, 'GET', '/api/v1/does-not-exist'), 404, 'not_found');
    });

    it('should answer 405 with Allow for a known path with the wrong method (issue 11)', async () => {
      const res = await call(app, 'DELETE', '/health');
      expectError(res, 405, 'method_not_allowed');
      assert.match(String(res.headers.allow), /GET/);
    });

    it('should answer 400 for invalid JSON', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username": "a",',
      });
      expectError({ ...res, data: res.json() }, 400, 'invalid_json');
    });

    it('should answer 413 for a body over BODY_LIMIT_BYTES', async () => {
      const res = await call(app, 'POST', '/api/v1/auth/forgot-password', {
        body: { email: `${'a'.repeat(4000)}@example.test` },
      });
      expectError(res, 413, 'payload_too_large');
    });

    it('should answer 415 for an unsupported content type', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'text/plain' },
        payload: 'username=a&password=b',
      });
      expectError({ ...res, data: res.json() }, 415, 'unsupported_media_type');
    });

    it('should answer 429 on /auth/login after RATE_LIMIT_AUTH_MAX attempts', async () => {
      const attempt = () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: '203.0.113.77',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ username: 'nobody-here', password: 'whatever' }),
        });
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await attempt()).statusCode);
      assert.deepEqual(codes, [401, 401, 401, 429]);
      const res = await attempt();
      expectError({ ...res, data: res.json() }, 429, 'rate_limited');
      assert.ok(res.headers['retry-after']);
      // The limit is per client: another address is unaffected.
      const other = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '203.0.113.78',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'nobody-here', password: 'whatever' }),
      });
      assert.equal(other.statusCode, 401);
    });
  });
});
