import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ActorCache } from '../src/kernel/auth/actor-cache.js';
import { registerPermissions } from '../src/kernel/auth/permissions.js';
import { authPlugin } from '../src/kernel/auth/plugin.js';
import { NoopRevocationStore } from '../src/kernel/auth/revocation.js';
import { TokenService } from '../src/kernel/auth/tokens.js';
import { registerErrorHandler } from '../src/kernel/error-handler.js';
import { businessRule, conflict, notFound } from '../src/kernel/errors.js';
import { expectError } from './helpers/assert.js';

function pgErr(code: string, extra: Record<string, unknown> = {}) {
  // Drizzle wraps the driver error; the handler must find the SQLSTATE on the cause.
  const cause = Object.assign(new Error(`pg said: select secret_column from users; ${code}`), {
    code,
    ...extra,
  });
  return Object.assign(new Error('Failed query: select secret_column from users'), { cause });
}

describe('kernel: error handler', () => {
  let app: FastifyInstance;
  let pglite: PGlite;
  before(async () => {
    pglite = await PGlite.create();
    // The same Ajv options as the app: all errors, unknown fields rejected rather than dropped.
    app = Fastify({
      logger: false,
      ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array' } },
    });
    registerErrorHandler(app);
    const throws = (err: () => unknown) => async () => {
      throw err();
    };
    app.get(
      '/unique',
      throws(() => pgErr('23505', { constraint: 'users_email_uq' })),
    );
    app.get(
      '/fk',
      throws(() => pgErr('23503', { constraint: 'enrollments_class_id_fk', detail: 'Key is not present' })),
    );
    app.get(
      '/fk-ref',
      throws(() => pgErr('23503', { detail: 'Key is still referenced from table "x"' })),
    );
    app.get(
      '/check',
      throws(() => pgErr('23514', { constraint: 'fees_amount_check' })),
    );
    app.get(
      '/serial',
      throws(() => pgErr('40001')),
    );
    app.get(
      '/down',
      throws(() => pgErr('57P01')),
    );
    app.get(
      '/unknown-pg',
      throws(() => pgErr('XX000')),
    );
    app.get('/real-db', async () => {
      await pglite.query('select secret_column from no_such_table');
    });
    app.get(
      '/bug',
      throws(() => new TypeError("Cannot read properties of undefined (reading 'password_hash')")),
    );
    app.get(
      '/app-errors',
      throws(() => businessRule('class_full', 'The class is full')),
    );
    app.get(
      '/nf',
      throws(() => notFound('Student')),
    );
    app.get(
      '/conflict',
      throws(() => conflict('Already there')),
    );
    app.post(
      '/validate',
      {
        schema: {
          body: Type.Object(
            { name: Type.String({ minLength: 1 }), nested: Type.Object({ n: Type.Integer() }) },
            { additionalProperties: false },
          ),
        },
      },
      async () => ({ ok: true }),
    );
    await app.ready();
  });
  after(async () => {
    await app.close();
    await pglite.close();
  });

  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    return Object.assign(res, { data: res.json() });
  };

  it('should map unique violations to 409 naming the field', async () => {
    const res = await get('/unique');
    expectError(res, 409, 'conflict');
    assert.deepEqual(res.data.error.details, [{ field: 'email', message: 'must be unique' }]);
  });

  it('should map FK, check, serialization and connection errors', async () => {
    expectError(await get('/fk'), 422, 'invalid_reference');
    expectError(await get('/fk-ref'), 409, 'still_referenced');
    expectError(await get('/check'), 422, 'constraint_violated');
    expectError(await get('/serial'), 409, 'concurrent_update');
    expectError(await get('/down'), 503, 'unavailable');
  });

  it('should answer 500 without internals for unknown database errors and bugs', async () => {
    for (const url of ['/unknown-pg', '/real-db', '/bug']) {
      const res = await get(url);
      expectError(res, 500, 'internal_error');
      assert.ok(!/secret_column|no_such_table|password_hash|select|stack|at /i.test(res.body), res.body);
      assert.deepEqual(res.data.error.details, []);
    }
  });

  it('should pass AppErrors through and name every invalid field', async () => {
    expectError(await get('/app-errors'), 422, 'class_full');
    expectError(await get('/nf'), 404, 'not_found');
    expectError(await get('/conflict'), 409, 'conflict');
    const res = await app.inject({
      method: 'POST',
      url: '/validate',
      payload: { name: '', nested: { n: 'x' }, extra: 1 },
    });
    const data = res.json();
    expectError({ ...res, data }, 400, 'validation_failed');
    const fields = data.error.details.map((d: any) => d.field).sort();
    assert.deepEqual(fields, ['extra', 'name', 'nested.n']);
    assert.ok(data.error.details.every((d: any) => d.in === 'body'));
  });
});

describe('kernel: mandatory route permissions', () => {
  async function bare() {
    const app = Fastify({ logger: false });
    // Permissions come from module definitions, which buildApp registers; a bare app declares its own.
    registerPermissions({ 'users:read': ['admin', 'staff', 'principal'] });
    await app.register(authPlugin, {
      tokens: new TokenService('x'.repeat(40), 'registrar', 900),
      revocations: new NoopRevocationStore(),
      loadActor: async () => null,
      actors: new ActorCache(0, 0),
      exemptPrefixes: ['/docs'],
    });
    return app;
  }

  it('should refuse to boot with a route that declares no permission', async () => {
    const app = await bare();
    await assert.rejects(async () => {
      app.get('/api/v1/forgotten', async () => ({ leaked: true }));
      await app.ready();
    }, /declares no permission/);
    await app.close().catch(() => {});
  });

  it('should refuse an undeclared permission name', async () => {
    const app = await bare();
    await assert.rejects(async () => {
      app.get('/api/v1/typo', { config: { permission: 'users:wirte' } }, async () => ({}));
      await app.ready();
    }, /unknown permission/);
    await app.close().catch(() => {});
  });

  it('should boot with declared permissions and exempt prefixes', async () => {
    const app = await bare();
    app.get('/open', { config: { permission: 'public' } }, async () => ({ ok: true }));
    app.get('/docs/x', async () => 'ui');
    app.get('/closed', { config: { permission: 'users:read' } }, async () => ({ ok: true }));
    await app.ready();
    assert.equal((await app.inject({ method: 'GET', url: '/open' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/closed' })).statusCode, 401);
    await app.close();
  });
});
