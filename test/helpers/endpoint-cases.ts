import assert from 'node:assert/strict';
import { type App, call } from './app.js';
import { expectError } from './assert.js';

const V = '/api/v1';

/** One endpoint's access matrix: the happy path, a 400, a 401, a 403 and (optionally) an out-of-scope 404. */
export interface EndpointCase {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** In scope (under /api/v1). */
  url: string;
  /** The same endpoint on another organization's record (404). */
  outUrl?: string;
  ok: { token: string; body?: unknown; query?: Record<string, string>; status: number };
  bad: { body?: unknown; query?: Record<string, string>; url?: string };
  /** A role that may not (403), and the body/query it sends. */
  forbidden: string;
  out?: { token?: string; body?: unknown; query?: Record<string, string> };
}

/** Runs every case in order: happy path, 400 (envelope), 401, 403 and the out-of-scope 404. */
export async function runEndpointCases(app: App, cases: EndpointCase[]) {
  for (const c of cases) {
    const label = `${c.name} (${c.method} ${c.url})`;
    const ok = await call(app, c.method, `${V}${c.url}`, {
      token: c.ok.token,
      body: c.ok.body,
      query: c.ok.query,
    });
    assert.equal(ok.statusCode, c.ok.status, `${label} happy: ${ok.body}`);
    const noBody = c.method === 'GET' || c.method === 'DELETE';
    const bad = await call(app, c.method, `${V}${c.bad.url ?? c.url}`, {
      token: c.ok.token,
      body: noBody ? undefined : (c.bad.body ?? c.ok.body),
      query: c.bad.query ?? c.ok.query,
    });
    expectError(bad, 400);
    const anon = await call(app, c.method, `${V}${c.url}`, { body: c.ok.body, query: c.ok.query });
    expectError(anon, 401);
    const denied = await call(app, c.method, `${V}${c.url}`, {
      token: c.forbidden,
      body: c.ok.body,
      query: c.ok.query,
    });
    assert.equal(denied.statusCode, 403, `${label} forbidden: ${denied.body}`);
    if (c.outUrl || c.out) {
      const out = await call(app, c.method, `${V}${c.outUrl ?? c.url}`, {
        token: c.out?.token ?? c.ok.token,
        body: c.out?.body ?? c.ok.body,
        query: c.out?.query ?? c.ok.query,
      });
      assert.equal(out.statusCode, 404, `${label} out of scope: ${out.body}`);
    }
  }
}
