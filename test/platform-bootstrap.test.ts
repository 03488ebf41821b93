import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { login } from './helpers/factories.js';

// The bootstrap admin is created only on an empty database: a fresh in-memory PGlite.
describe('bootstrap admin (issue 2 walkthrough)', { skip: isPostgres() && 'needs an empty database' }, () => {
  let app: App;
  const password = 'Bootstrap-Admin-Pass-2026';
  before(async () => {
    app = await buildTestApp({
      BOOTSTRAP_ADMIN_USERNAME: 'admin',
      BOOTSTRAP_ADMIN_PASSWORD: password,
      BOOTSTRAP_ORGANIZATION_NAME: 'Registrar Office',
    });
  });
  after(() => app.close());

  it('should let the bootstrap admin sign in, create an organization and users, and read the audit trail', async () => {
    const { token } = await login(app, 'admin', password);
    const me = await call(app, 'GET', '/api/v1/auth/me', { token });
    expectStatus(me, 200);
    assert.equal(me.data.data.roles[0].role, 'admin');
    const org = await call(app, 'POST', '/api/v1/organizations', {
      token,
      body: { name: 'Riverside Unified School District', kind: 'district' },
    });
    expectStatus(org, 201);
    const user = await call(app, 'POST', '/api/v1/users', {
      token,
      body: {
        username: 'grace.hopper',
        email: 'grace.hopper@riverside.example.org',
        full_name: 'Grace Hopper',
        password: 'Grace-Hopper-Pass-1',
        organization_id: org.data.data.id,
        roles: [{ role: 'principal', organization_id: org.data.data.id }],
      },
    });
    expectStatus(user, 201);
    const audit = await call(app, 'GET', '/api/v1/audit-logs', { token });
    expectStatus(audit, 200);
    const actions = audit.data.data.map((r: any) => `${r.entity_type}:${r.action}`);
    assert.deepEqual(actions, ['user:create', 'organization:create', 'user:bootstrap']);
  });
});
