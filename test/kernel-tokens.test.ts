import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { TokenService } from '../src/kernel/auth/tokens.js';

const SECRET = 'k'.repeat(48);

describe('kernel: access tokens', () => {
  it('should verify a token, remember it, and still refuse tampered, foreign and expired tokens', async () => {
    const tokens = new TokenService(SECRET, 'registrar', 60);
    const { token, jti } = await tokens.signAccess('user-1', 'session-1');
    const claims = await tokens.verifyAccess(token);
    assert.equal(claims?.sub, 'user-1');
    assert.equal(claims?.jti, jti);
    // The second use is served from the verified cache: same claims.
    assert.deepEqual(await tokens.verifyAccess(token), claims);

    // A token differing in any byte is a different key: verified from scratch and refused.
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'admin' })).toString('base64url')}.${s}`;
    assert.equal(await tokens.verifyAccess(forged), null);
    const flipped = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
    assert.equal(await tokens.verifyAccess(flipped), null);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    assert.equal(await tokens.verifyAccess(none), null);
    // Signed with another secret, or for another issuer.
    const other = await new TokenService('o'.repeat(48), 'registrar', 60).signAccess('user-1', 's');
    assert.equal(await tokens.verifyAccess(other.token), null);
    const foreign = await new TokenService(SECRET, 'elsewhere', 60).signAccess('user-1', 's');
    assert.equal(await tokens.verifyAccess(foreign.token), null);

    // Once expired, the cached token is refused too.
    const t0 = Date.now();
    mock.timers.enable({ apis: ['Date'], now: t0 + 61_000 });
    try {
      assert.equal(await tokens.verifyAccess(token), null);
    } finally {
      mock.timers.reset();
    }
  });

  it('should keep the verified cache bounded', async () => {
    const tokens = new TokenService(SECRET, 'registrar', 60);
    const first = await tokens.signAccess('u', 's');
    await tokens.verifyAccess(first.token);
    const cache = (tokens as any).verified as Map<string, unknown>;
    for (let i = 0; i < 9_999; i++) cache.set(`filler-${i}`, { exp: Number.MAX_SAFE_INTEGER });
    const next = await tokens.signAccess('u', 's2');
    await tokens.verifyAccess(next.token);
    assert.equal(cache.size, 10_000);
    assert.ok(!cache.has(first.token), 'the oldest entry was evicted');
  });
});
