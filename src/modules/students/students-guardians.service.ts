import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { provisionPerson, rethrowUnique, syncLoginEmail } from '../users/index.js';
import * as students from './students.repo.js';
import { readScope, writeScope } from './students.service.js';
import * as repo from './students-guardians.repo.js';
import type {
  CreateGuardianT,
  GuardianT,
  LinkGuardianT,
  ListGuardiansQueryT,
  StudentGuardianT,
  UpdateGuardianT,
} from './students-guardians.schemas.js';

const UNIQUE_FIELDS = {
  users_username_uq: 'login.username',
  users_email_uq: 'email',
  student_guardians_student_id_guardian_id_pk: 'guardian_id',
};

export function toGuardian(r: repo.GuardianRow): GuardianT {
  return {
    id: r.id,
    organization_id: r.organizationId,
    user_id: r.userId,
    first_name: r.firstName,
    last_name: r.lastName,
    email: r.email,
    phone: r.phone,
    address: r.address,
    occupation: r.occupation,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

/** Creates a guardian, optionally with a parent login, in one transaction. */
export async function createGuardian(deps: AppDeps, ctx: RequestContext, input: CreateGuardianT) {
  const email = input.email;
  if (input.login && !email) {
    throw badRequest('email is required to create a login', [
      { field: 'email', message: 'is required when login is given' },
    ]);
  }
  return provisionPerson(deps, ctx, {
    permission: 'guardians:write',
    organizationId: input.organization_id,
    login:
      input.login && email
        ? { username: input.login.username, email, password: input.login.password, role: 'parent' }
        : null,
    person: input,
    entityType: 'guardian',
    uniqueFields: UNIQUE_FIELDS,
    profile: async (tx, person) =>
      toGuardian(
        await repo.insert(tx, {
          ...person,
          email: input.email?.toLowerCase() ?? null,
          phone: input.phone ?? null,
          address: input.address ?? null,
          occupation: input.occupation ?? null,
        }),
      ),
  });
}

export async function listGuardians(db: Db, ctx: RequestContext, q: ListGuardiansQueryT, w: PageWindow) {
  const { rows, total } = await repo.list(db, repo.guardianReadScope(ctx.actor), q, w);
  return page(rows.map(toGuardian), total, w);
}

export async function getGuardian(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findInScope(db, repo.guardianReadScope(ctx.actor), id);
  if (!row) throw notFound('Guardian');
  return toGuardian(row);
}

export async function updateGuardian(db: Db, ctx: RequestContext, id: string, input: UpdateGuardianT) {
  return withTx(db, async (tx) => {
    const before = await repo.findInScope(tx, repo.guardianWriteScope(ctx.actor), id);
    if (!before) throw notFound('Guardian');
    const row = await repo.update(tx, id, {
      firstName: input.first_name,
      lastName: input.last_name,
      email: input.email === undefined ? undefined : (input.email?.toLowerCase() ?? null),
      phone: input.phone,
      address: input.address,
      occupation: input.occupation,
    });
    // A parent login follows the guardian's email (one email per person).
    await syncLoginEmail(tx, before.userId, input.email);
    const out = toGuardian(row);
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'guardian',
      entityId: id,
      organizationId: row.organizationId,
      before: toGuardian(before),
      after: out,
    });
    return out;
  });
}

/** Deletes the guardian and its links; a parent login stays (an admin may deactivate it). */
export async function deleteGuardian(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await repo.findInScope(tx, repo.guardianWriteScope(ctx.actor), id);
    if (!before) throw notFound('Guardian');
    await repo.remove(tx, id);
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'guardian',
      entityId: id,
      organizationId: before.organizationId,
      before: toGuardian(before),
    });
  });
}

export async function listStudentGuardians(db: Db, ctx: RequestContext, studentId: string) {
  const st = await students.findInScope(db, readScope(ctx.actor), studentId);
  if (!st) throw notFound('Student');
  const rows = await repo.guardiansOfStudent(db, studentId);
  return rows.map(
    (r): StudentGuardianT => ({ ...toGuardian(r.g), relationship: r.relationship, is_primary: r.isPrimary }),
  );
}

export async function listGuardianStudents(db: Db, ctx: RequestContext, guardianId: string) {
  const g = await repo.findInScope(db, repo.guardianReadScope(ctx.actor), guardianId);
  if (!g) throw notFound('Guardian');
  return repo.studentsOfGuardian(db, guardianId);
}

export async function linkGuardian(db: Db, ctx: RequestContext, studentId: string, input: LinkGuardianT) {
  try {
    return await withTx(db, async (tx) => {
      const st = await students.findInScope(tx, writeScope(ctx.actor), studentId);
      if (!st) throw notFound('Student');
      const g = await repo.findInScope(tx, repo.guardianWriteScope(ctx.actor), input.guardian_id);
      if (!g) throw notFound('Guardian');
      const isPrimary = input.is_primary ?? false;
      if (isPrimary) await repo.clearOtherPrimaries(tx, studentId, g.id);
      await repo.insertLink(tx, {
        studentId,
        guardianId: g.id,
        relationship: input.relationship,
        isPrimary,
      });
      await recordAudit(tx, ctx, {
        action: 'link_guardian',
        entityType: 'student',
        entityId: studentId,
        organizationId: st.organizationId,
        after: { guardian_id: g.id, relationship: input.relationship, is_primary: isPrimary },
      });
      return { ...toGuardian(g), relationship: input.relationship, is_primary: isPrimary };
    });
  } catch (err) {
    rethrowUnique(err, UNIQUE_FIELDS);
  }
}

export async function unlinkGuardian(db: Db, ctx: RequestContext, studentId: string, guardianId: string) {
  await withTx(db, async (tx) => {
    const st = await students.findInScope(tx, writeScope(ctx.actor), studentId);
    if (!st) throw notFound('Student');
    const link = await repo.deleteLink(tx, studentId, guardianId);
    if (!link) throw notFound('Guardian link');
    await recordAudit(tx, ctx, {
      action: 'unlink_guardian',
      entityType: 'student',
      entityId: studentId,
      organizationId: st.organizationId,
      before: { guardian_id: guardianId, relationship: link.relationship, is_primary: link.isPrimary },
    });
  });
}
