import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { oneTimeCodes } from '../src/modules/auth/auth.table.js';
import { users } from '../src/modules/users/users.table.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { login, makeUser, makeWorld, PASSWORD } from './helpers/factories.js';
import { latestCode, mailsTo, wrongCode } from './helpers/platform.js';

const NEW_PASSWORD = 'Brand-New-Pass-99';

describe('auth: one-time codes (outbox, no SMTP)', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app);
  });
  after(() => app.close());

  const forgot = (email: string) => call(app, 'POST', '/api/v1/auth/forgot-password', { body: { email } });
  const reset = (email: string, otp: string, new_password = NEW_PASSWORD) =>
    call(app, 'POST', '/api/v1/auth/reset-password', { body: { email, otp, new_password } });

  it('should reset the password with the mailed code and sign out every session', async () => {
    const u = await makeUser(app, w.org, 'staff');
    const res = await forgot(u.email);
    expectStatus(res, 202);
    const code = await latestCode(app, u.email, /reset/i);
    expectStatus(await reset(u.email, code), 200);
    expectError(await call(app, 'GET', '/api/v1/auth/me', { token: u.token }), 401);
    expectError(
      await call(app, 'POST', '/api/v1/auth/login', { body: { username: u.username, password: PASSWORD } }),
      401,
    );
    await login(app, u.username, NEW_PASSWORD);
    // Single use: the same code does not work twice.
    expectError(await reset(u.email, code, 'Yet-Another-Pass-1'), 400, 'invalid_code');
  });

  it('should answer 202 with the same body for an unknown email, and send nothing', async () => {
    const u = await makeUser(app, w.org, 'staff');
    const known = await forgot(u.email);
    const ghost = `${uniq('ghost.')}@example.test`;
    const unknown = await forgot(ghost);
    expectStatus(unknown, 202);
    assert.deepEqual(unknown.data, known.data);
    assert.equal((await mailsTo(app, ghost)).length, 0);
    expectError(await reset(ghost, '123456'), 400, 'invalid_code');
  });

  it('should lock the code after 5 wrong tries: the 6th try with the right code fails', async () => {
    const u = await makeUser(app, w.org, 'staff');
    await forgot(u.email);
    const code = await latestCode(app, u.email, /reset/i);
    for (let i = 0; i < 5; i++) expectError(await reset(u.email, wrongCode(code)), 400, 'invalid_code');
    const sixth = await reset(u.email, code);
    expectError(sixth, 400, 'invalid_code');
    await login(app, u.username, PASSWORD);
    // A fresh code works again.
    await forgot(u.email);
    expectStatus(await reset(u.email, await latestCode(app, u.email, /reset/i)), 200);
  });

  it('should refuse an expired code', async () => {
    const u = await makeUser(app, w.org, 'staff');
    await forgot(u.email);
    const code = await latestCode(app, u.email, /reset/i);
    await app.deps.db
      .update(oneTimeCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(oneTimeCodes.userId, u.id), eq(oneTimeCodes.purpose, 'password_reset')));
    expectError(await reset(u.email, code), 400, 'invalid_code');
  });

  it('should supersede an older code when a new one is requested', async () => {
    const u = await makeUser(app, w.org, 'staff');
    await forgot(u.email);
    const first = await latestCode(app, u.email, /reset/i);
    await forgot(u.email);
    const second = await latestCode(app, u.email, /reset/i);
    if (first !== second) expectError(await reset(u.email, first), 400, 'invalid_code');
    expectStatus(await reset(u.email, second), 200);
  });

  it('should return 400 with field details for bad bodies', async () => {
    const f = await call(app, 'POST', '/api/v1/auth/forgot-password', { body: { email: 'nope' } });
    expectError(f, 400, 'validation_failed');
    assert.equal(f.data.error.details[0].field, 'email');
    const r = await call(app, 'POST', '/api/v1/auth/reset-password', {
      body: { email: 'a@example.test', otp: '12ab', new_password: 'x' },
    });
    expectError(r, 400, 'validation_failed');
    const fields = r.data.error.details.map((d: any) => d.field);
    assert.ok(fields.includes('otp') && fields.includes('new_password'));
  });

  it('should verify the email address with a requested code', async () => {
    const u = await makeUser(app, w.org, 'faculty');
    const req = await call(app, 'POST', '/api/v1/auth/verify-email/request', { token: u.token });
    expectStatus(req, 202);
    const code = await latestCode(app, u.email, /verify/i);
    const bad = await call(app, 'POST', '/api/v1/auth/verify-email', {
      body: { email: u.email, otp: wrongCode(code) },
    });
    expectError(bad, 400, 'invalid_code');
    const ok = await call(app, 'POST', '/api/v1/auth/verify-email', { body: { email: u.email, otp: code } });
    expectStatus(ok, 200);
    const me = await call(app, 'GET', '/api/v1/auth/me', { token: u.token });
    assert.equal(me.data.data.email_verified, true);
    // Already verified → 422; used code → 400.
    expectError(
      await call(app, 'POST', '/api/v1/auth/verify-email/request', { token: u.token }),
      422,
      'already_verified',
    );
    expectError(
      await call(app, 'POST', '/api/v1/auth/verify-email', { body: { email: u.email, otp: code } }),
      400,
      'invalid_code',
    );
  });

  it('should answer 401 for verify-email/request without a token and 400 for a bad otp', async () => {
    expectError(await call(app, 'POST', '/api/v1/auth/verify-email/request'), 401);
    const r = await call(app, 'POST', '/api/v1/auth/verify-email', {
      body: { email: 'a@example.test', otp: 1 },
    });
    expectError(r, 400, 'validation_failed');
  });

  it('should not reset the password of a deactivated user', async () => {
    const u = await makeUser(app, w.org, 'staff');
    await forgot(u.email);
    const code = await latestCode(app, u.email, /reset/i);
    await app.deps.db.update(users).set({ isActive: false }).where(eq(users.id, u.id));
    expectError(await reset(u.email, code), 400, 'invalid_code');
  });
});

describe('auth: real SMTP delivery', () => {
  let smtp: SMTPServer;
  let app: App;
  const inbox: Array<{ to: string[]; raw: string }> = [];
  before(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          inbox.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const port = (smtp.server.address() as AddressInfo).port;
    app = await buildTestApp({
      SMTP_URL: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
      MAIL_FROM: 'Registrar <registrar@example.test>',
    });
  });
  after(async () => {
    await app.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('should deliver the reset code over SMTP and accept it', async () => {
    const w = await makeWorld(app);
    const u = await makeUser(app, w.org, 'staff');
    expectStatus(await call(app, 'POST', '/api/v1/auth/forgot-password', { body: { email: u.email } }), 202);
    await app.deps.mailer.flush();
    const mail = inbox.find((m) => m.to.includes(u.email));
    assert.ok(mail, 'mail received by the SMTP server');
    assert.match(mail.raw, /^From: Registrar <registrar@example\.test>/m);
    const code = /code is (\d{6})/.exec(mail.raw)?.[1];
    assert.ok(code, mail.raw);
    // The outbox keeps a delivery record, not the body.
    const rows = await mailsTo(app, u.email);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'sent');
    assert.ok(!rows[0].body.includes(code));
    const r = await call(app, 'POST', '/api/v1/auth/reset-password', {
      body: { email: u.email, otp: code, new_password: NEW_PASSWORD },
    });
    expectStatus(r, 200);
    await login(app, u.username, NEW_PASSWORD);
  });
});
