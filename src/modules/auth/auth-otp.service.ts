import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { DbOrTx } from '../../db/client.js';
import type { AppDeps } from '../../kernel/deps.js';
import { uuidv7 } from '../../kernel/ids.js';
import * as repo from './auth.repo.js';

const SUBJECTS: Record<repo.OtpPurpose, string> = {
  password_reset: 'Your Registrar password reset code',
  email_verification: 'Verify your email address for Registrar',
  account_setup: 'Set up your Registrar account',
};

function codeHash(secret: string, codeId: string, code: string): string {
  return createHmac('sha256', secret).update(`${codeId}:${code}`).digest('hex');
}

/** Creates a fresh 6-digit code (superseding older ones) and emails it. */
export async function sendCode(deps: AppDeps, user: { id: string; email: string }, purpose: repo.OtpPurpose) {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = uuidv7();
  const ttl = deps.config.otp.ttlMinutes;
  await repo.insertCode(deps.db, {
    id,
    userId: user.id,
    purpose,
    codeHash: codeHash(deps.config.jwtSecret, id, code),
    expiresAt: new Date(Date.now() + ttl * 60_000),
  });
  const action =
    purpose === 'email_verification'
      ? 'verify your email address'
      : purpose === 'account_setup'
        ? 'set your password (use "reset password" with this code)'
        : 'reset your password';
  await deps.mailer.send({
    to: user.email,
    subject: SUBJECTS[purpose],
    text:
      `Your Registrar code is ${code}\n\nUse it to ${action}. It expires in ${ttl} minutes and works once.\n` +
      'If you did not ask for it, ignore this message.',
  });
}

/**
 * Checks a code: each try spends one of the limited attempts before comparing, so a locked code stays
 * locked even for the right digits. Returns true and consumes the code on a match.
 */
export async function checkCode(
  deps: AppDeps,
  tx: DbOrTx,
  userId: string,
  purposes: repo.OtpPurpose[],
  code: string,
): Promise<boolean> {
  for (const purpose of purposes) {
    const live = await repo.latestLiveCode(tx, userId, purpose);
    if (!live) continue;
    const spent = await repo.spendAttempt(tx, live.id, deps.config.otp.maxAttempts);
    if (!spent) return false;
    const expected = Buffer.from(live.codeHash, 'hex');
    const given = Buffer.from(codeHash(deps.config.jwtSecret, live.id, code), 'hex');
    if (expected.length === given.length && timingSafeEqual(expected, given)) {
      await repo.markCodeUsed(tx, live.id);
      return true;
    }
    return false;
  }
  return false;
}
