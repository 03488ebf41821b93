import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { Nullable, StringEnum } from '../src/kernel/schemas.js';

/** The app's Ajv options (src/app.ts): type coercion on, as query strings need. */
const ajv = {
  customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
};

describe('Nullable under type coercion', () => {
  it('should keep a null null (not 0, "" or false) and still coerce and check other values', async () => {
    const app = Fastify({ ajv: ajv as never });
    const Body = Type.Object(
      {
        n: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
        s: Type.Optional(Nullable(Type.String({ minLength: 2 }))),
        b: Type.Optional(Nullable(Type.Boolean())),
        e: Type.Optional(Nullable(StringEnum(['a', 'b']))),
        o: Type.Optional(Nullable(Type.Object({ x: Type.Integer() }))),
      },
      { additionalProperties: false },
    );
    app.post('/echo', { schema: { body: Body, response: { 200: Body } } }, async (req) => req.body);
    const post = (payload: unknown) =>
      app.inject({ method: 'POST', url: '/echo', payload: payload as object });

    const nulls = await post({ n: null, s: null, b: null, e: null, o: null });
    assert.equal(nulls.statusCode, 200, nulls.body);
    assert.deepEqual(nulls.json(), { n: null, s: null, b: null, e: null, o: null });
    const values = await post({ n: 0, s: 'ok', b: false, e: 'a', o: { x: 1 } });
    assert.deepEqual(values.json(), { n: 0, s: 'ok', b: false, e: 'a', o: { x: 1 } });
    assert.deepEqual((await post({ n: '5' })).json(), { n: 5 });
    for (const bad of [{ n: -1 }, { s: 'x' }, { e: 'c' }, { n: 'abc' }, { o: { x: 'y' } }]) {
      assert.equal((await post(bad)).statusCode, 400, JSON.stringify(bad));
    }
    await app.close();
  });
});
