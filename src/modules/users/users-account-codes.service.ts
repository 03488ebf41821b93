import type { AppDeps } from '../../kernel/deps.js';
import type { ScopeContribution } from '../../kernel/scopes.js';

/** The one-time codes the users module asks to be emailed (after commit). */
export type AccountCodePurpose = 'account_setup' | 'password_reset';

/** Emails a fresh one-time code to a user (the auth module, which owns the codes, provides it). */
export type SendAccountCode = (
  deps: AppDeps,
  user: { id: string; email: string },
  purpose: AccountCodePurpose,
) => Promise<void>;

let provided: SendAccountCode | null = null;

/**
 * Emails the codes of the users module's flows after their transaction committed: the set-password code of
 * a new login without a password (POST /users, provisioning of students, faculty, staff and guardians) and
 * an administrator's password-reset code. The codes belong to the auth module, which depends on users; so
 * users declares what it needs here and auth provides it through its module definition
 * (`scopes: [accountCodes.provide(sendCode)]`, applied once by the composition root like any contribution).
 * Unlike an event handler the provided function receives `AppDeps` (the mailer, the OTP settings).
 */
export const accountCodes = {
  provide(send: SendAccountCode): ScopeContribution {
    return {
      apply: () => {
        provided = send;
      },
    };
  },

  /** Sends the code; fails loudly when no module provides the sender (a wiring error, not a user error). */
  async send(deps: AppDeps, user: { id: string; email: string }, purpose: AccountCodePurpose): Promise<void> {
    if (!provided)
      throw new Error('No module provides accountCodes (the auth module does, in its definition)');
    await provided(deps, user, purpose);
  },
};
