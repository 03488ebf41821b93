import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { App } from './helpers/app.js';
import { buildTestApp } from './helpers/app.js';
import { login, makeWorld } from './helpers/factories.js';

/**
 * Walks every operation of /openapi.json and sends it hostile input — U+0000, 100,000-character strings,
 * 1e400, -1, NaN, wrong types, unknown properties — in each path parameter, query parameter and body
 * property, one at a time, as a signed-in district admin. Every answer must be a complete response below
 * 500, and every 4xx the error envelope. Operations added later are covered without touching this file.
 */

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  enum?: unknown[];
  $ref?: string;
};
type Param = { name: string; in: 'path' | 'query' | 'header'; schema?: Schema; required?: boolean };
type Operation = {
  parameters?: Param[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};

const LONG = 'x'.repeat(100_000);
/** Raw JSON texts: 1e400 cannot be produced by JSON.stringify (it would write null). */
const RAW = { huge: '1e400', negative: '-1', nan: '"NaN"', nul: '"a\\u0000b"', long: `"${LONG}"` };
const PARAM_VALUES = ['a\u0000b', '1e400', '-1', 'NaN', 'x'.repeat(5000), '{"a":1}', '[]'];

/** Operations whose success would end the walker's session; their hostile variants still run. */
const SESSION_ENDING = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/logout-all']);

function typesOf(s: Schema | undefined): string[] {
  if (!s) return [];
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf ?? []).flatMap(typesOf);
  return Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
}

/** Hostile raw JSON values for a property of this schema (wrong types included). */
function hostileValues(s: Schema | undefined): string[] {
  const t = typesOf(s);
  const out = [RAW.nul, RAW.long, RAW.huge, RAW.negative, RAW.nan, '{"zz":1}', '[1,[2]]', 'true'];
  if (t.includes('array'))
    out.push('["a\\u0000b"]', `[${RAW.huge}]`, `[${Array(2000).fill('"x"').join(',')}]`);
  return out;
}

describe('every operation in /openapi.json against hostile input', () => {
  let app: App;
  let token: string;
  let creds: { username: string; password: string };
  let doc: { paths: Record<string, Record<string, Operation>> };
  before(async () => {
    app = await buildTestApp();
    const w = await makeWorld(app, 'district');
    token = w.admin.token;
    creds = { username: w.admin.username, password: w.admin.password };
    doc = JSON.parse((await app.inject({ method: 'GET', url: '/openapi.json' })).body);
  });
  after(() => app.close());

  const failures: string[] = [];
  let requests = 0;

  async function send(
    method: string,
    url: string,
    what: string,
    opts: { payload?: string; contentType?: string } = {},
  ) {
    requests++;
    let res: Awaited<ReturnType<App['inject']>>;
    try {
      const pending = app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        headers: {
          authorization: `Bearer ${token}`,
          'idempotency-key': `fuzz-${randomUUID()}`,
          ...(opts.payload !== undefined ? { 'content-type': opts.contentType ?? 'application/json' } : {}),
        },
        payload: opts.payload,
      });
      // A request that never completes is a defect too (and must not hang the walk).
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no complete response within 30 s')), 30_000);
      });
      res = await Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
    } catch (err) {
      failures.push(
        `${method.toUpperCase()} ${url.slice(0, 120)} [${what}]: response failed: ${String(err)}`,
      );
      return;
    }
    const label = `${method.toUpperCase()} ${url.slice(0, 120)} [${what}]`;
    if (res.statusCode >= 500) failures.push(`${label}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    else if (res.statusCode >= 400) {
      let env: {
        error?: { code?: unknown; message?: unknown } | string;
        error_description?: unknown;
      } | null = null;
      try {
        env = JSON.parse(res.body);
      } catch {}
      // The OAuth token endpoint answers RFC 6749's {error, error_description}, as OAuth clients expect.
      const oauth = url.includes('/oauth') || url.includes('/token');
      const ok =
        oauth && typeof env?.error === 'string'
          ? typeof env.error_description === 'string'
          : typeof env?.error === 'object' &&
            typeof env.error?.code === 'string' &&
            typeof env.error.message === 'string';
      if (!ok)
        failures.push(`${label}: ${res.statusCode} without the error envelope: ${res.body.slice(0, 200)}`);
      if (res.statusCode === 401) token = (await login(app, creds.username, creds.password)).token;
    }
  }

  it('should answer every hostile request below 500, completely, with the error envelope on 4xx', async () => {
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map(([m, op]) => ({ path, method: m, op })),
    );
    assert.ok(ops.length > 100, `only ${ops.length} operations found`);

    for (const { path, method, op } of ops) {
      // A live stream (server-sent events) never ends by design: its own tests cover it.
      if (Object.values(op.responses ?? {}).some((r) => r.content?.['text/event-stream'])) continue;
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const fill = (override?: { name: string; value: string }) =>
        path.replace(/\{([^}]+)\}/g, (_, name: string) =>
          encodeURIComponent(override?.name === name ? override.value : randomUUID()),
        );
      const op1 = `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`;

      for (const p of pathParams) {
        for (const value of PARAM_VALUES) await send(method, fill({ name: p.name, value }), `path ${p.name}`);
      }
      const base = fill();
      for (const q of params.filter((p) => p.in === 'query')) {
        for (const value of PARAM_VALUES) {
          await send(
            method,
            `${base}?${q.name}=${encodeURIComponent(value)}`,
            `query ${q.name}=${value.slice(0, 12)}`,
          );
        }
      }
      await send(method, `${base}?zz_unknown=1`, 'unknown query parameter');

      const json = op.requestBody?.content?.['application/json']?.schema;
      if (json) {
        const props = Object.entries(json.properties ?? {});
        for (const [name, schema] of props) {
          for (const raw of hostileValues(schema)) {
            await send(method, base, `body ${name}=${raw.slice(0, 16)}`, { payload: `{"${name}":${raw}}` });
          }
        }
        for (const raw of [
          '{"zz_unknown":1}',
          '[]',
          '"text"',
          '123',
          'null',
          '{"a":',
          `{"${'k'.repeat(300)}":1}`,
        ]) {
          await send(method, base, `body ${raw.slice(0, 16)}`, { payload: raw });
        }
      } else if (['post', 'put', 'patch'].includes(method) && !SESSION_ENDING.has(op1)) {
        await send(method, base, 'unexpected body', { payload: '{"zz_unknown":1}' });
      }
      if (op.requestBody?.content?.['multipart/form-data']) {
        await send(method, base, 'multipart as json', { payload: '{"file":"x"}' });
        await send(method, base, 'broken multipart', {
          payload: '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nno end',
          contentType: 'multipart/form-data; boundary=b',
        });
      }
    }
    assert.ok(requests > 1000, `only ${requests} requests sent`);
    assert.deepEqual(
      failures,
      [],
      `${failures.length} of ${requests} requests failed:\n${failures.join('\n')}`,
    );
  });
});
