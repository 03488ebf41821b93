import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { Mailer } from '../src/kernel/mail/mailer.js';
import { type App, buildTestApp } from './helpers/app.js';

/** A logger that keeps what it was given. */
function recordingLogger() {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  const log = {
    info: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }),
    error: () => {},
  } as unknown as FastifyBaseLogger;
  return { log, lines };
}

describe('mail without SMTP: printed in development, never in production', () => {
  let app: App;
  before(async () => {
    app = await buildTestApp();
  });
  after(() => app.close());
  const msg = { to: 'ada@example.test', subject: 'Your code', text: 'Your sign-in code is 493021' };

  it('should print the body (the one-time code) to the development log', async () => {
    const { log, lines } = recordingLogger();
    await new Mailer(app.deps.db, null, 'noreply@example.test', log, true).send(msg);
    assert.equal(lines.length, 1);
    assert.match(lines[0].msg, /493021/);
    assert.equal(lines[0].obj.text, msg.text);
  });

  it('should keep the body out of the log otherwise (production, tests)', async () => {
    const { log, lines } = recordingLogger();
    await new Mailer(app.deps.db, null, 'noreply@example.test', log).send(msg);
    assert.equal(lines.length, 1);
    assert.doesNotMatch(JSON.stringify(lines), /493021/);
    assert.equal(app.deps.config.nodeEnv, 'test');
  });
});
