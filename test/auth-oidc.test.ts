import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { users } from '../src/modules/users/users.table.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeWorld } from './helpers/factories.js';

const ISSUER = 'https://accounts.test.example';
const CLIENT_ID = 'registrar-test.apps.example';
const KID = 'test-key-1';

describe('auth: OpenID Connect (Google) sign-in', () => {
  let jwksServer: Server;
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let key: CryptoKey;
  let foreignKey: CryptoKey;

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    key = pair.privateKey as CryptoKey;
    foreignKey = (await generateKeyPair('RS256')).privateKey as CryptoKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    jwksServer.listen(0, '127.0.0.1');
    await once(jwksServer, 'listening');
    const port = (jwksServer.address() as AddressInfo).port;
    app = await buildTestApp({
      OIDC_GOOGLE_ISSUER: ISSUER,
      OIDC_GOOGLE_JWKS_URL: `http://127.0.0.1:${port}/certs`,
      OIDC_GOOGLE_CLIENT_ID: CLIENT_ID,
    });
    w = await makeWorld(app, 'university');
  });
  after(async () => {
    await app.close();
    jwksServer.closeAllConnections();
    await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
  });

  async function idToken(
    claims: JWTPayload,
    opts: { iss?: string; aud?: string; exp?: number; signWith?: CryptoKey } = {},
  ) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ email_verified: true, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: KID })
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? CLIENT_ID)
      .setSubject(uniq('google-'))
      .setIssuedAt(now - 60)
      .setExpirationTime(opts.exp ?? now + 600)
      .sign(opts.signWith ?? key);
  }

  async function allow(email: string, role = 'faculty') {
    const res = await call(app, 'POST', '/api/v1/allowed-emails', {
      token: w.admin.token,
      body: { email, role, organization_id: w.org.id },
    });
    expectStatus(res, 201);
  }

  const signIn = (id_token: string) => call(app, 'POST', '/api/v1/auth/oidc/google', { body: { id_token } });

  it('should sign in an allowed email, creating the user with the allow-list role', async () => {
    const email = `${uniq('prof.')}@northfield.example.edu`;
    await allow(email, 'faculty');
    const res = await signIn(await idToken({ email, name: 'Helen Marsh' }));
    expectStatus(res, 200);
    const u = res.data.data.user;
    assert.equal(u.email, email);
    assert.equal(u.full_name, 'Helen Marsh');
    assert.equal(u.email_verified, true);
    assert.deepEqual(u.roles, [{ role: 'faculty', organization_id: w.org.id }]);
    expectStatus(await call(app, 'GET', '/api/v1/auth/me', { token: res.data.data.access_token }), 200);
    // A second sign-in reuses the same user.
    const again = await signIn(await idToken({ email: email.toUpperCase(), name: 'Helen Marsh' }));
    expectStatus(again, 200);
    assert.equal(again.data.data.user.id, u.id);
    const n = await app.deps.db.select().from(users).where(eq(users.email, email));
    assert.equal(n.length, 1);
  });

  it('should answer 403 for a verified email that is not on the allow-list', async () => {
    const res = await signIn(await idToken({ email: `${uniq('stranger.')}@example.test` }));
    expectError(res, 403, 'forbidden');
  });

  it('should answer 401 for a wrong audience, a wrong issuer, an expired token and a bad signature', async () => {
    const email = `${uniq('prof.')}@northfield.example.edu`;
    await allow(email);
    const now = Math.floor(Date.now() / 1000);
    const bad = [
      await idToken({ email }, { aud: 'someone-else.apps.example' }),
      await idToken({ email }, { iss: 'https://evil.example' }),
      await idToken({ email }, { exp: now - 3600 }),
      await idToken({ email }, { signWith: foreignKey }),
      await idToken({ email, email_verified: false }),
    ];
    for (const t of bad) expectError(await signIn(t), 401, 'invalid_id_token');
  });

  it('should answer 400 for a malformed body', async () => {
    const res = await call(app, 'POST', '/api/v1/auth/oidc/google', { body: { token: 'x' } });
    expectError(res, 400, 'validation_failed');
    const fields = res.data.error.details.map((d: any) => d.field);
    assert.ok(fields.includes('id_token') && fields.includes('token'));
  });

  it('should answer 404 when Google sign-in is not configured', async () => {
    const plain = await buildTestApp();
    try {
      const res = await call(plain, 'POST', '/api/v1/auth/oidc/google', {
        body: { id_token: await idToken({ email: 'a@example.test' }) },
      });
      expectError(res, 404, 'oidc_not_configured');
    } finally {
      await plain.close();
    }
  });
});
