import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { clientToken, makeOneRosterWorld, orGet, ROSTER, requestToken } from './helpers/oneroster.js';

/**
 * Two API processes sharing one database (and Redis): a client revoked or rotated on one is refused by the
 * other on its next request.
 */
function suite(name: string, env: Record<string, string>, skip: string | false) {
  describe(name, { skip }, () => {
    let a: App;
    let b: App;
    let w: Awaited<ReturnType<typeof makeOneRosterWorld>>;
    before(async () => {
      const shared = { JWT_SECRET: 'q7W!eR2#tY9@uI4$oP8^aS3&dF6*gH5(jK1)', ...env };
      a = await buildTestApp(shared);
      b = await buildTestApp(shared);
      w = await makeOneRosterWorld(a);
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });

    it('refuses on instance B a client revoked on instance A', async () => {
      const { client, token } = await clientToken(a, w.admin.token, w.a.school.id);
      assert.equal((await orGet(b, token, `${ROSTER}/orgs`)).statusCode, 200);
      const res = await call(a, 'DELETE', `/api/v1/api-clients/${client.id}`, { token: w.admin.token });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((await orGet(b, token, `${ROSTER}/orgs`)).statusCode, 401);
    });

    it('refuses on instance B the tokens of a client rotated on instance A', async () => {
      const { client, secret, token } = await clientToken(a, w.admin.token, w.a.school.id);
      const res = await call(a, 'POST', `/api/v1/api-clients/${client.id}/rotate`, { token: w.admin.token });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((await orGet(b, token, `${ROSTER}/orgs`)).statusCode, 401);
      assert.equal((await requestToken(b, client.client_id, secret)).statusCode, 401);
      assert.equal((await requestToken(b, client.client_id, res.data.data.client_secret)).statusCode, 200);
    });

    it('puts the old credential on the Redis denylist', { skip: !env.REDIS_URL }, async () => {
      const { client, token } = await clientToken(a, w.admin.token, w.a.school.id);
      const sid = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;
      assert.equal(await b.deps.revocations.isSessionRevoked(sid), false);
      await call(a, 'DELETE', `/api/v1/api-clients/${client.id}`, { token: w.admin.token });
      assert.equal(await b.deps.revocations.isSessionRevoked(sid), true);
    });
  });
}

const redisUrl = process.env.TEST_REDIS_URL;
suite(
  'oneroster: client revocation across two instances (database + Redis)',
  { REDIS_URL: redisUrl ?? '' },
  !redisUrl || !isPostgres() ? 'needs DATABASE_URL and TEST_REDIS_URL' : false,
);
suite(
  'oneroster: client revocation across two instances (database only)',
  {},
  !isPostgres() ? 'needs DATABASE_URL (two processes cannot share one in-memory PGlite)' : false,
);

describe('oneroster: the token endpoint is rate-limited like sign-in', () => {
  let app: App;
  before(async () => {
    app = await buildTestApp({ RATE_LIMIT_AUTH_MAX: '3' });
  });
  after(() => app.close());

  it('answers 429 once the budget is spent', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await requestToken(app, 'or_nobody', 'wrong')).statusCode);
    assert.deepEqual(codes, [401, 401, 401, 429]);
  });
});
