import type { Tx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { rethrowUnique } from '../../kernel/error-handler.js';
import { uuidv7 } from '../../kernel/ids.js';
import { withTx } from '../../kernel/tx.js';
import type { RoleBodyT } from './users.schemas.js';
import { assertOrgsInScope, insertLoginUser } from './users.service.js';
import { accountCodes } from './users-account-codes.service.js';

/** Unique constraints of the users table, named by the API field they guard. */
const LOGIN_UNIQUE_FIELDS = { users_username_uq: 'username', users_email_uq: 'email' };

/** One place maps a unique violation to a 409 naming the field and value (kernel/error-handler.ts). */
export { rethrowUnique };

/** The login a provisioned person gets: one role, in the profile's organization, named after the person. */
export interface PersonLogin {
  username: string;
  email: string;
  /** Without a password the person is emailed a set-password code after commit. */
  password?: string | null;
  role: RoleBodyT['role'];
}

/** The login user created for a person. */
export interface ProvisionedLogin {
  id: string;
  username: string;
  email: string;
}

/**
 * The columns every person profile has, filled by the pipeline: a new id, the organization, the login
 * user (always there when a login is given) and the names.
 */
export interface PersonColumns<UserId extends string | null> {
  id: string;
  organizationId: string;
  userId: UserId;
  firstName: string;
  lastName: string;
}
export type PersonColumnsFor<L extends PersonLogin | null> = PersonColumns<
  L extends PersonLogin ? string : string | null
>;

export interface ProvisionSpec<
  Out extends { id: string; organization_id: string },
  L extends PersonLogin | null = PersonLogin | null,
> {
  /** The permission the actor needs over `organizationId` (404 when it is out of scope). */
  permission: string;
  organizationId: string;
  /** The person's names (the profile's columns and the login's full name). */
  person: { first_name: string; last_name: string };
  /** The login to create with the profile, or null for a person without one (a guardian without login). */
  login: L;
  /** Audit entity type of the profile, e.g. `student`. */
  entityType: string;
  /**
   * Unique constraints of the profile (and their API fields) mapped to 409s; `users_username_uq` and
   * `users_email_uq` map to `username` and `email` unless named here.
   */
  uniqueFields?: Record<string, string>;
  /** Further checks inside the transaction, before anything is written (references: 422). */
  check?: (tx: Tx) => Promise<void>;
  /** Inserts the profile row (in the transaction) from the person's columns, and returns its API shape. */
  profile: (tx: Tx, person: PersonColumnsFor<L>) => Promise<Out>;
}

/**
 * The "person with a login" pipeline of students, faculty, staff and guardians: in ONE transaction the
 * scope check, the caller's checks, the login user with its role grant, the profile row and the audit row
 * (`create` of the profile, with the login's username); unique violations become 409s naming the field;
 * after commit, a login without a password is emailed its set-password code (a mail failure must not undo
 * the registration).
 */
export async function provisionPerson<
  Out extends { id: string; organization_id: string },
  L extends PersonLogin | null,
>(deps: AppDeps, ctx: RequestContext, spec: ProvisionSpec<Out, L>): Promise<Out> {
  let created: { out: Out; user: ProvisionedLogin | null };
  try {
    created = await withTx(deps.db, async (tx) => {
      await assertOrgsInScope(tx, ctx, spec.permission, [spec.organizationId]);
      await spec.check?.(tx);
      const login: PersonLogin | null = spec.login;
      const user: ProvisionedLogin | null = login
        ? await insertLoginUser(tx, {
            username: login.username,
            email: login.email,
            fullName: `${spec.person.first_name} ${spec.person.last_name}`,
            password: login.password,
            organizationId: spec.organizationId,
            roles: [{ role: login.role, organization_id: spec.organizationId }],
          })
        : null;
      const person: PersonColumns<string | null> = {
        id: uuidv7(),
        organizationId: spec.organizationId,
        userId: user?.id ?? null,
        firstName: spec.person.first_name,
        lastName: spec.person.last_name,
      };
      // `userId` is non-null exactly when a login was given, which is what PersonColumnsFor<L> says.
      const out = await spec.profile(tx, person as PersonColumnsFor<L>);
      await recordAudit(tx, ctx, {
        action: 'create',
        entityType: spec.entityType,
        entityId: out.id,
        organizationId: out.organization_id,
        after: { ...out, username: user?.username ?? null },
      });
      return { out, user };
    });
  } catch (err) {
    rethrowUnique(err, { ...LOGIN_UNIQUE_FIELDS, ...spec.uniqueFields });
  }
  if (spec.login && !spec.login.password && created.user) {
    await accountCodes.send(deps, { id: created.user.id, email: created.user.email }, 'account_setup');
  }
  return created.out;
}
