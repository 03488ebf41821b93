import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { schemaCompilers } from '../src/kernel/schema-compilers.js';
import { type App, buildTestApp, call } from './helpers/app.js';

/**
 * The suite compiles route schemas lazily (helpers/app.ts); production compiles them at start. This file
 * proves every route schema compiles eagerly and that lazy compilation validates and serializes the same.
 */
describe('route schema compilation', () => {
  const apps: App[] = [];
  after(() => Promise.all(apps.map((a) => a.close())));

  it('should compile every validator and serializer of every route at start (the production default)', async () => {
    const app = await buildTestApp({ SCHEMA_COMPILATION: 'eager' });
    apps.push(app);
    assert.equal(app.deps.config.schemaCompilation, 'eager');
    const bare = await buildTestApp({}, {});
    apps.push(bare);
    assert.equal(bare.deps.config.schemaCompilation, 'lazy');
  });

  it('should answer the same validation errors lazily as eagerly', async () => {
    const answers: string[] = [];
    for (const mode of ['eager', 'lazy']) {
      const app = await buildTestApp({ SCHEMA_COMPILATION: mode });
      apps.push(app);
      const login = await call(app, 'POST', '/api/v1/auth/login', { body: { username: 1, extra: 'x' } });
      assert.equal(login.statusCode, 400);
      answers.push(JSON.stringify(login.data.error.details));
      const again = await call(app, 'POST', '/api/v1/auth/login', { body: { username: 1, extra: 'x' } });
      answers.push(JSON.stringify(again.data.error.details));
    }
    assert.ok(answers[0].length > 2, answers[0]);
    assert.deepEqual(new Set(answers).size, 1, answers.join('\n'));
  });

  it('should stop an eager start on a broken schema; lazy compiles at first use and serializes the same', async () => {
    const broken = { type: 'object', properties: { n: { type: 'no-such-type' } } };
    const eager = Fastify({ schemaController: { compilersFactory: schemaCompilers('eager') } });
    eager.post('/broken', { schema: { body: broken } }, async () => ({}));
    await assert.rejects(async () => {
      await eager.ready();
    });

    for (const mode of ['eager', 'lazy'] as const) {
      const app = Fastify({ schemaController: { compilersFactory: schemaCompilers(mode) } });
      app.post(
        '/typed',
        {
          schema: {
            body: Type.Object({ n: Type.Integer() }, { additionalProperties: false }),
            response: { 200: Type.Object({ a: Type.Integer() }) },
          },
        },
        async () => ({ a: 1, secret: 'not in the schema' }),
      );
      const ok = await app.inject({ method: 'POST', url: '/typed', payload: { n: 1 } });
      assert.equal(ok.body, '{"a":1}', mode);
      const bad = await app.inject({ method: 'POST', url: '/typed', payload: { n: 'x' } });
      assert.equal(bad.statusCode, 400, mode);
      assert.match(bad.json().message, /body\/n must be integer/, mode);
      await app.close();
    }
  });
});
