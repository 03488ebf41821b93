import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { AppError, badRequest, conflict, notFound } from '../../kernel/errors.js';
import { withTx } from '../../kernel/tx.js';
import { organizations } from '../organizations/index.js';
import { accountCodes, defaultUsername, insertLoginUser, rethrowUnique } from '../users/index.js';
import { studentWriteScope } from './students.policy.js';
import * as repo from './students.repo.js';
import type { CreateStudentAccountT } from './students.schemas.js';
import { students } from './students.table.js';

/** The organization facts a default username and a conflict message need. */
export interface StudentOrg {
  id: string;
  name: string;
  code: string | null;
}

export async function studentOrg(db: DbOrTx, orgId: string): Promise<StudentOrg | null> {
  const [row] = await db
    .select({ id: organizations.id, name: organizations.name, code: organizations.code })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return row ?? null;
}

/** The default login name of a student: `<organization code>.<student number>` (users' `defaultUsername`). */
export const defaultStudentUsername = defaultUsername;

/**
 * Rethrows a unique violation as a 409 that names what collided: the username (and, for a default one,
 * how it was made), the email, or the student number in its school. Anything else is rethrown unchanged.
 */
export function rethrowStudentUnique(
  err: unknown,
  c: {
    org: StudentOrg | null;
    studentNumber?: string;
    username?: string | null;
    defaulted?: boolean;
    email?: string | null;
  },
): never {
  try {
    rethrowUnique(err, {
      students_org_student_number_uq: 'student_number',
      users_username_uq: 'username',
      users_email_uq: 'email',
    });
  } catch (e) {
    if (!(e instanceof AppError) || e.statusCode !== 409) throw e;
    const field = e.details[0]?.field;
    const school = c.org?.name ?? 'this organization';
    if (field === 'student_number') {
      throw conflict(`Student number ${c.studentNumber} already exists in ${school}`, 'conflict', [
        { field, message: 'must be unique in the organization' },
      ]);
    }
    if (field === 'username') {
      const how = c.defaulted
        ? ` (the default username: organization code${c.org?.code ? ` "${c.org.code}"` : ''} and student number ${c.studentNumber}); send a username`
        : '';
      throw conflict(`The username "${c.username}" is already taken${how}`, 'conflict', [
        { field, message: 'must be unique' },
      ]);
    }
    if (field === 'email') {
      throw conflict(`A login with the email ${c.email} already exists`, 'conflict', [
        {
          field,
          message: 'must be unique among logins (a student without a login may share an email)',
        },
      ]);
    }
    throw e;
  }
  throw err;
}

/**
 * POST /students/{id}/account: adds a login (student role in the student's organization) to a student who
 * has none, in one transaction with its audit row; without a password a setup code is emailed after commit.
 * A student who already has a login: 409 `student_has_login`.
 */
export async function createStudentAccount(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
  input: CreateStudentAccountT,
) {
  let org: StudentOrg | null = null;
  let username: string | null = null;
  let email: string | null = null;
  let studentNumber: string | undefined;
  try {
    const out = await withTx(deps.db, async (tx) => {
      const [student] = await tx
        .select()
        .from(students)
        .where(and(eq(students.id, id), isNull(students.deletedAt), studentWriteScope(ctx.actor, students)))
        .for('update');
      if (!student) throw notFound('Student');
      studentNumber = student.studentNumber;
      if (student.userId) {
        throw conflict('The student already has a login', 'student_has_login', [
          { field: 'id', message: 'has a login user already' },
        ]);
      }
      email = (input.email ?? student.email)?.toLowerCase() ?? null;
      if (!email) {
        throw badRequest('email is required: the student has no email', [
          { field: 'email', message: 'is required when the student has no email' },
        ]);
      }
      org = await studentOrg(tx, student.organizationId);
      username = input.username ?? defaultStudentUsername(org!, student.studentNumber);
      const user = await insertLoginUser(tx, {
        username,
        email,
        fullName: `${student.firstName} ${student.lastName}`,
        password: input.password,
        organizationId: student.organizationId,
        roles: [{ role: 'student', organization_id: student.organizationId }],
      });
      const row = await repo.update(tx, id, { userId: user.id, email: student.email ?? email });
      await recordAudit(tx, ctx, {
        action: 'account.create',
        entityType: 'student',
        entityId: id,
        organizationId: student.organizationId,
        before: { user_id: null, email: student.email },
        after: { user_id: user.id, username: user.username, email: row.email },
      });
      return { row, user };
    });
    if (!input.password) {
      await accountCodes.send(deps, { id: out.user.id, email: out.user.email }, 'account_setup');
    }
    return out;
  } catch (err) {
    rethrowStudentUnique(err, {
      org,
      studentNumber,
      username,
      defaulted: !input.username,
      email,
    });
  }
}
