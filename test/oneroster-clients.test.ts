import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { auditLogs } from '../src/kernel/audit.table.js';
import { apiClients } from '../src/modules/clients/index.js';
import { users } from '../src/modules/users/index.js';
import { makeFaculty } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError } from './helpers/assert.js';
import { makeUser } from './helpers/factories.js';
import {
  ALL_SCOPES,
  clientToken,
  makeOneRosterWorld,
  orGet,
  ROSTER,
  registerClient,
  requestToken,
  SCOPE,
} from './helpers/oneroster.js';

type World = Awaited<ReturnType<typeof makeOneRosterWorld>>;
const json = (r: { body: string }) => JSON.parse(r.body);

describe('API clients and the token endpoint', () => {
  let app: App;
  let w: World;

  before(async () => {
    app = await buildTestApp();
    w = await makeOneRosterWorld(app);
  });
  after(() => app.close());

  test('POST /api-clients shows the secret once and stores only its hash', async () => {
    const { client, secret } = await registerClient(app, w.admin.token, w.a.school.id, [SCOPE.roster]);
    assert.match(client.client_id, /^or_/);
    assert.ok(secret.length >= 40);
    assert.deepEqual(client.scopes, [SCOPE.roster]);
    assert.equal(client.organization_id, w.a.school.id);
    const [row] = await app.deps.db.select().from(apiClients).where(eq(apiClients.id, client.id));
    assert.match(row.secretHash, /^\$argon2id\$/);
    assert.ok(!row.secretHash.includes(secret));
    const got = await call(app, 'GET', `/api/v1/api-clients/${client.id}`, { token: w.admin.token });
    assert.equal(got.statusCode, 200, got.body);
    assert.ok(!got.body.includes(secret));
    assert.equal(got.data.data.secret_hash, undefined);
    assert.equal(got.data.data.client_secret, undefined);
    const listed = await call(app, 'GET', '/api/v1/api-clients', { token: w.admin.token });
    assert.ok(listed.data.data.some((c: any) => c.id === client.id));
    assert.ok(!listed.body.includes('argon2'));
    const [audit] = await app.deps.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.entityId, client.id), eq(auditLogs.action, 'api_client.create')));
    assert.equal(audit.actorId, w.admin.id);
    assert.ok(!JSON.stringify(audit.after).includes(secret));
    // The stand-in user cannot sign in.
    const [svc] = await app.deps.db.select().from(users).where(eq(users.id, row.serviceUserId));
    assert.equal(svc.isActive, false);
    assert.equal(svc.passwordHash, null);
  });

  test('400, 401, 403 and out-of-scope 404 on /api-clients', async () => {
    const body = { name: 'LMS', organization_id: w.a.school.id, scopes: [SCOPE.roster] };
    expectError(
      await call(app, 'POST', '/api/v1/api-clients', {
        token: w.admin.token,
        body: { ...body, scopes: ['x'] },
      }),
      400,
    );
    expectError(
      await call(app, 'POST', '/api/v1/api-clients', { token: w.admin.token, body: { ...body, scopes: [] } }),
      400,
    );
    expectError(
      await call(app, 'POST', '/api/v1/api-clients', {
        token: w.admin.token,
        body: { ...body, secret: 'mine' },
      }),
      400,
    );
    expectError(await call(app, 'POST', '/api/v1/api-clients', { body }), 401);
    const teacher = await makeFaculty(app, w.a.school);
    expectError(await call(app, 'POST', '/api/v1/api-clients', { token: teacher.token, body }), 403);
    const principal = await makeUser(app, w.a.school, 'principal');
    expectError(await call(app, 'GET', '/api/v1/api-clients', { token: principal.token }), 403);
    // The other tenant's admin: the organization and the client are out of scope.
    expectError(await call(app, 'POST', '/api/v1/api-clients', { token: w.otherAdmin.token, body }), 404);
    const { client } = await registerClient(app, w.admin.token, w.a.school.id, [SCOPE.roster]);
    for (const [method, url] of [
      ['GET', `/api/v1/api-clients/${client.id}`],
      ['POST', `/api/v1/api-clients/${client.id}/rotate`],
      ['DELETE', `/api/v1/api-clients/${client.id}`],
    ] as const) {
      expectError(await call(app, method, url, { token: w.otherAdmin.token }), 404);
      expectError(await call(app, method, url), 401);
      expectError(await call(app, method, url, { token: teacher.token }), 403);
    }
    expectError(await call(app, 'GET', '/api/v1/api-clients/not-a-uuid', { token: w.admin.token }), 400);
    const theirs = await call(app, 'GET', '/api/v1/api-clients', { token: w.otherAdmin.token });
    assert.ok(!theirs.data.data.some((c: any) => c.id === client.id));
  });

  test('token endpoint: Basic or body credentials, RFC 6749 errors', async () => {
    const { client, secret } = await registerClient(app, w.admin.token, w.a.school.id, [
      SCOPE.rosterCore,
      SCOPE.roster,
    ]);
    const ok = await requestToken(app, client.client_id, secret);
    assert.equal(ok.statusCode, 200, ok.body);
    const t = json(ok);
    assert.equal(t.token_type, 'bearer');
    assert.ok(t.expires_in > 0 && t.expires_in <= 3600);
    assert.equal(t.scope, `${SCOPE.rosterCore} ${SCOPE.roster}`);
    assert.equal(ok.headers['cache-control'], 'no-store');
    const inBody = await app.inject({
      method: 'POST',
      url: '/ims/oneroster/v1p2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: secret,
        scope: SCOPE.rosterCore,
      }).toString(),
    });
    assert.equal(inBody.statusCode, 200, inBody.body);
    const narrow = json(inBody).access_token;
    assert.equal((await orGet(app, narrow, `${ROSTER}/orgs`)).statusCode, 200);
    assert.equal((await orGet(app, narrow, `${ROSTER}/users`)).statusCode, 403);

    const bad = await requestToken(app, client.client_id, `${secret}x`);
    assert.equal(bad.statusCode, 401);
    assert.equal(json(bad).error, 'invalid_client');
    assert.match(String(bad.headers['www-authenticate']), /^Basic/);
    assert.equal(json(await requestToken(app, 'or_nobody', secret)).error, 'invalid_client');
    const grant = await requestToken(app, client.client_id, secret, { grant_type: 'password' });
    assert.deepEqual([grant.statusCode, json(grant).error], [400, 'unsupported_grant_type']);
    const scope = await requestToken(app, client.client_id, secret, { scope: SCOPE.demographics });
    assert.deepEqual([scope.statusCode, json(scope).error], [400, 'invalid_scope']);
    const asJson = await call(app, 'POST', '/ims/oneroster/v1p2/token', {
      body: { grant_type: 'client_credentials', client_id: client.client_id, client_secret: secret },
    });
    assert.deepEqual([asJson.statusCode, asJson.data.error], [400, 'invalid_request']);
  });

  test('rotation and revocation stop the old tokens at once', async () => {
    const { client, secret, token } = await clientToken(app, w.admin.token, w.a.school.id, ALL_SCOPES);
    assert.equal((await orGet(app, token, `${ROSTER}/orgs`)).statusCode, 200);
    const rotated = await call(app, 'POST', `/api/v1/api-clients/${client.id}/rotate`, {
      token: w.admin.token,
    });
    assert.equal(rotated.statusCode, 200, rotated.body);
    const fresh = rotated.data.data.client_secret as string;
    assert.notEqual(fresh, secret);
    assert.equal((await orGet(app, token, `${ROSTER}/orgs`)).statusCode, 401);
    assert.equal((await requestToken(app, client.client_id, secret)).statusCode, 401);
    const again = await requestToken(app, client.client_id, fresh);
    assert.equal(again.statusCode, 200, again.body);
    const token2 = json(again).access_token;
    assert.equal((await orGet(app, token2, `${ROSTER}/orgs`)).statusCode, 200);

    const revoked = await call(app, 'DELETE', `/api/v1/api-clients/${client.id}`, { token: w.admin.token });
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.ok(revoked.data.data.revoked_at);
    const after = await orGet(app, token2, `${ROSTER}/orgs`);
    assert.equal(after.statusCode, 401);
    assert.equal(
      after.data.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue,
      'unauthorisedrequest',
    );
    assert.equal((await requestToken(app, client.client_id, fresh)).statusCode, 401);
    expectError(
      await call(app, 'POST', `/api/v1/api-clients/${client.id}/rotate`, { token: w.admin.token }),
      409,
    );
    const actions = (
      await app.deps.db
        .select({ action: auditLogs.action })
        .from(auditLogs)
        .where(eq(auditLogs.entityId, client.id))
    ).map((a) => a.action);
    assert.deepEqual(actions.sort(), ['api_client.create', 'api_client.revoke', 'api_client.rotate']);
    const listed = await call(app, 'GET', '/api/v1/api-clients', { token: w.admin.token });
    assert.ok(!listed.data.data.some((c: any) => c.id === client.id));
    const all = await call(app, 'GET', '/api/v1/api-clients', {
      token: w.admin.token,
      query: { include_revoked: true },
    });
    assert.ok(all.data.data.some((c: any) => c.id === client.id));
  });

  test('/openapi.json documents the OneRoster paths and the client endpoints', async () => {
    const doc = (await call(app, 'GET', '/openapi.json')).data;
    for (const [method, path] of [
      ['post', '/api/v1/api-clients'],
      ['post', '/api/v1/api-clients/{id}/rotate'],
      ['post', '/ims/oneroster/v1p2/token'],
      ['get', '/ims/oneroster/v1p2/csv'],
      ['get', '/ims/oneroster/rostering/v1p2/users'],
      ['get', '/ims/oneroster/rostering/v1p2/classes/{id}/students'],
      ['get', '/ims/oneroster/rostering/v1p2/demographics/{id}'],
      ['put', '/ims/oneroster/gradebook/v1p2/results/{id}'],
      ['post', '/ims/oneroster/gradebook/v1p2/lineItems/{id}/results'],
    ]) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method} ${path} missing`);
      assert.ok(op.summary && op.tags?.length, `${method} ${path} summary/tags`);
      assert.ok(op.responses['400'] && op.responses['401'], `${method} ${path} documents 400 and 401`);
    }
    const users = doc.paths['/ims/oneroster/rostering/v1p2/users'].get;
    assert.ok(users.parameters.some((p: any) => p.name === 'filter' && p.description));
  });
});
