import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

const STRONG = 'q7N!x2#Lp9@Vw4$Zr8^Tb3&Hm6*Kc1(Fd5)';

describe('config', () => {
  it('should refuse production without a JWT_SECRET', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: ':memory:' }), ConfigError);
  });

  it('should refuse production with a weak JWT_SECRET', () => {
    for (const weak of [
      'secret',
      'changeme',
      'short-secret',
      'a'.repeat(64),
      'abababababababababababababababab',
    ]) {
      assert.throws(
        () => loadConfig({ NODE_ENV: 'production', DATA_DIR: ':memory:', JWT_SECRET: weak }),
        ConfigError,
        weak,
      );
    }
  });

  it('should accept production with a strong JWT_SECRET', () => {
    const c = loadConfig({ NODE_ENV: 'production', DATA_DIR: ':memory:', JWT_SECRET: STRONG });
    assert.equal(c.jwtSecret, STRONG);
    assert.equal(c.nodeEnv, 'production');
  });

  it('should generate a development secret when none is set', () => {
    const c = loadConfig({ NODE_ENV: 'development', DATA_DIR: ':memory:' });
    assert.ok(c.jwtSecret.length >= 32);
  });

  it('should apply documented defaults', () => {
    const c = loadConfig({ DATA_DIR: ':memory:' });
    assert.equal(c.port, 3000);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.dataDir, null);
    assert.equal(c.databaseUrl, null);
    assert.equal(c.redisUrl, null);
    assert.equal(c.accessTokenTtlSeconds, 900);
    assert.equal(c.refreshTokenTtlSeconds, 30 * 86400);
    assert.deepEqual(c.rateLimit, { max: 600, authMax: 20, windowMs: 60_000 });
    assert.deepEqual(c.login, { maxFailures: 5, lockoutMinutes: 15 });
    assert.equal(c.otp.maxAttempts, 5);
    assert.equal(c.bodyLimitBytes, 1024 * 1024);
    assert.deepEqual(c.corsOrigins, []);
    assert.equal(c.trustProxy, false);
    assert.equal(c.bootstrapAdmin, null);
  });

  it('should parse lists, booleans and integers, and refuse bad values precisely', () => {
    const c = loadConfig({
      DATA_DIR: ':memory:',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: 'yes',
      PORT: '8080',
    });
    assert.deepEqual(c.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(c.trustProxy, true);
    assert.equal(c.port, 8080);
    assert.throws(() => loadConfig({ DATA_DIR: ':memory:', PORT: 'eighty' }), /PORT/);
    assert.throws(() => loadConfig({ DATA_DIR: ':memory:', PORT: '70000' }), /PORT/);
    assert.throws(() => loadConfig({ DATA_DIR: ':memory:', TRUST_PROXY: 'maybe' }), /TRUST_PROXY/);
    assert.throws(() => loadConfig({ DATA_DIR: ':memory:', NODE_ENV: 'staging' }), /NODE_ENV/);
  });

  it('should require BOOTSTRAP_ADMIN_USERNAME and a 12+ character password together', () => {
    assert.throws(() => loadConfig({ DATA_DIR: ':memory:', BOOTSTRAP_ADMIN_USERNAME: 'admin' }), ConfigError);
    assert.throws(
      () =>
        loadConfig({
          DATA_DIR: ':memory:',
          BOOTSTRAP_ADMIN_USERNAME: 'admin',
          BOOTSTRAP_ADMIN_PASSWORD: 'short',
        }),
      /12 characters/,
    );
    const c = loadConfig({
      DATA_DIR: ':memory:',
      BOOTSTRAP_ADMIN_USERNAME: 'Admin',
      BOOTSTRAP_ADMIN_PASSWORD: 'long-enough-password',
    });
    assert.equal(c.bootstrapAdmin?.username, 'admin');
    assert.equal(c.bootstrapAdmin?.email, 'admin@registrar.invalid');
  });
});
