import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../src/config.js';
import { type App, buildTestApp } from './helpers/app.js';
import { makeRootOrg, makeUser } from './helpers/factories.js';

const STRONG = randomBytes(32).toString('hex');
const STANDARD_PARAMS = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;

/** The suite hashes its throw-away accounts cheaply; nothing else may. */
describe('password hashing cost', () => {
  const apps: App[] = [];
  after(() => Promise.all(apps.map((a) => a.close())));

  const storedHash = async (app: App, userId: string) =>
    (
      (await app.deps.db.execute(sql`select password_hash from users where id = ${userId}`)).rows[0] as {
        password_hash: string;
      }
    ).password_hash;

  it('should default to the OWASP argon2id parameters and refuse the fast cost outside the test suite', () => {
    assert.equal(
      loadConfig({ NODE_ENV: 'production', DATA_DIR: ':memory:', JWT_SECRET: STRONG }).passwordHashing,
      'standard',
    );
    assert.equal(loadConfig({ NODE_ENV: 'development', DATA_DIR: ':memory:' }).passwordHashing, 'standard');
    for (const NODE_ENV of ['production', 'development']) {
      assert.throws(
        () => loadConfig({ NODE_ENV, DATA_DIR: ':memory:', JWT_SECRET: STRONG, PASSWORD_HASHING: 'fast' }),
        (e: unknown) => e instanceof ConfigError && /test suite only/.test(e.message),
      );
    }
    assert.throws(
      () => loadConfig({ NODE_ENV: 'test', DATA_DIR: ':memory:', PASSWORD_HASHING: 'weak' }),
      ConfigError,
    );
  });

  it('should store standard-cost hashes when the app runs with the default, and both kinds verify', async () => {
    const standard = await buildTestApp({ PASSWORD_HASHING: 'standard' });
    apps.push(standard);
    const org = await makeRootOrg(standard, 'school');
    const u = await makeUser(standard, org, 'staff'); // makeUser also signs in: the hash verifies
    assert.match(await storedHash(standard, u.id), STANDARD_PARAMS);

    const fast = await buildTestApp();
    apps.push(fast);
    const org2 = await makeRootOrg(fast, 'school');
    const v = await makeUser(fast, org2, 'staff');
    assert.match(await storedHash(fast, v.id), /^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
  });
});
