/**
 * A user's sessions must end: the account was deactivated, or an administrator set a new password. The
 * module that owns sessions (auth) revokes them in the publisher's transaction and appends the revoked
 * session ids to `revokedSessionIds`, so the publisher can add them to the shared denylist after commit
 * (when it has one to fill).
 */
export interface SessionsEndingEvent {
  userId: string;
  /** Stored as the sessions' revocation reason, e.g. `deactivated`, `student_deleted`. */
  reason: string;
  /** Filled by the handlers: the ids of the sessions they revoked. */
  revokedSessionIds: string[];
}

/** A login's email changed (PATCH /users/{id}): the person profiles of that user take the same email. */
export interface EmailChangedEvent {
  userId: string;
  /** The new email, lower-case. */
  email: string;
}

declare module '../../kernel/events.js' {
  interface DomainEvents {
    /**
     * Published inside the deactivation's transaction (PATCH /users/{id} with is_active false, DELETE
     * /users/{id}, or a person's profile deleted): the handlers revoke the user's sessions atomically with
     * it; a handler that throws rolls the deactivation back.
     */
    'users.deactivated': SessionsEndingEvent;
    /**
     * Published inside the transaction of an administrator's password reset that sets a new password
     * (POST /users/{id}/reset-password with new_password): the user's sessions end with the old password.
     */
    'users.password_reset': SessionsEndingEvent;
    /**
     * Published inside the transaction of PATCH /users/{id} when the email changes: the modules owning person
     * profiles (students, guardians, faculty, staff) set the same email on the profiles of that user, so the
     * login and the person have one email. A handler that throws rolls the change back.
     */
    'users.email_changed': EmailChangedEvent;
  }
}
