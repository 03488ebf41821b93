import { and, asc, desc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { businessRule, notFound } from '../../kernel/errors.js';
import { listPage, type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { programs } from '../academics/index.js';
import { organizations, orgScope } from '../organizations/index.js';
import { students } from '../students/index.js';
import { programEnrollmentReadScope, sameBranch } from './enrollments.policy.js';
import type * as S from './enrollments.schemas.js';
import { programEnrollments } from './enrollments.table.js';

type PeRow = typeof programEnrollments.$inferSelect;

export function toProgramEnrollment(r: PeRow) {
  return {
    id: r.id,
    organization_id: r.organizationId,
    student_id: r.studentId,
    program_id: r.programId,
    status: r.status,
    admission_date: r.admissionDate,
    batch_year: r.batchYear,
    entry_score: r.entryScore,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

export interface EligibilityCheck {
  check: string;
  passed: boolean;
  message: string;
}

/**
 * Explains whether the student may be admitted to the program, check by check. Both must be in the actor's
 * management scope (404 otherwise). `code` names the first failed rule for the 422 on admission.
 */
export async function eligibility(
  db: DbOrTx,
  ctx: RequestContext,
  studentId: string,
  programId: string,
  entryScore?: string | null,
) {
  const [s] = await db
    .select({ id: students.id, status: students.studentStatus, path: organizations.path })
    .from(students)
    .innerJoin(organizations, eq(organizations.id, students.organizationId))
    .where(
      and(
        eq(students.id, studentId),
        sql`${students.deletedAt} is null`,
        orgScope(ctx.actor, 'program_enrollments:write', students.organizationId),
      ),
    );
  if (!s) throw notFound('Student');
  const [p] = await db
    .select({
      id: programs.id,
      orgId: programs.organizationId,
      isActive: programs.isActive,
      min: programs.minEntryScore,
      path: organizations.path,
    })
    .from(programs)
    .innerJoin(organizations, eq(organizations.id, programs.organizationId))
    .where(
      and(
        eq(programs.id, programId),
        orgScope(ctx.actor, 'program_enrollments:write', programs.organizationId),
      ),
    );
  if (!p) throw notFound('Program');
  const [admitted] = await db
    .select({ id: programEnrollments.id })
    .from(programEnrollments)
    .where(
      and(
        eq(programEnrollments.studentId, studentId),
        eq(programEnrollments.programId, programId),
        eq(programEnrollments.status, 'active'),
      ),
    );
  const checks: Array<EligibilityCheck & { code: string }> = [
    {
      check: 'student_active',
      code: 'student_inactive',
      passed: s.status === 'active',
      message: `Student status is ${s.status}`,
    },
    {
      check: 'program_active',
      code: 'program_inactive',
      passed: p.isActive,
      message: p.isActive ? 'Program is accepting students' : 'Program is not active',
    },
    {
      check: 'same_organization',
      code: 'organization_mismatch',
      passed: sameBranch(s.path, p.path),
      message: sameBranch(s.path, p.path)
        ? 'Student and program belong to the same organization'
        : 'Student and program belong to different organizations',
    },
    {
      check: 'not_already_admitted',
      code: 'already_admitted',
      passed: !admitted,
      message: admitted
        ? 'Student already holds an active admission to this program'
        : 'No active admission to this program',
    },
  ];
  if (p.min !== null) {
    const ok = entryScore !== undefined && entryScore !== null && Number(entryScore) >= Number(p.min);
    checks.push({
      check: 'min_entry_score',
      code: 'entry_score_below_minimum',
      passed: ok,
      message:
        entryScore == null
          ? `Program requires an entry score of at least ${p.min}; none given`
          : `Entry score ${entryScore} vs minimum ${p.min}`,
    });
  }
  const failed = checks.find((c) => !c.passed);
  return {
    eligible: !failed,
    failedCode: failed?.code ?? null,
    student_id: studentId,
    program_id: programId,
    orgId: p.orgId,
    checks: checks.map(({ code: _c, ...c }) => c),
  };
}

export async function verifyEligibility(
  db: Db,
  ctx: RequestContext,
  q: { student_id: string; program_id: string; entry_score?: string },
) {
  const r = await eligibility(db, ctx, q.student_id, q.program_id, q.entry_score);
  return { eligible: r.eligible, student_id: r.student_id, program_id: r.program_id, checks: r.checks };
}

export async function admit(db: Db, ctx: RequestContext, input: Static<typeof S.Admit>) {
  return withTx(db, async (tx) => {
    // Serialize admissions of one student so two concurrent requests cannot both pass the checks.
    await tx.execute(sql`select 1 from students where id = ${input.student_id} for update`);
    const r = await eligibility(tx, ctx, input.student_id, input.program_id, input.entry_score);
    if (!r.eligible) {
      throw businessRule(
        r.failedCode!,
        'The student is not eligible for this program',
        r.checks.filter((c) => !c.passed).map((c) => ({ field: c.check, message: c.message })),
      );
    }
    const [row] = await tx
      .insert(programEnrollments)
      .values({
        organizationId: r.orgId,
        studentId: input.student_id,
        programId: input.program_id,
        admissionDate: input.admission_date ?? undefined,
        batchYear: input.batch_year ?? null,
        entryScore: input.entry_score ?? null,
      })
      .returning();
    const out = toProgramEnrollment(row);
    await recordAudit(tx, ctx, {
      action: 'admit',
      entityType: 'program_enrollment',
      entityId: row.id,
      organizationId: row.organizationId,
      after: out,
    });
    return out;
  });
}

export async function listProgramEnrollments(
  db: Db,
  ctx: RequestContext,
  q: Static<typeof S.ListProgramEnrollmentsQuery>,
  w: PageWindow,
) {
  const conds: SQL[] = [programEnrollmentReadScope(ctx.actor, programEnrollments)];
  if (q.student_id) conds.push(eq(programEnrollments.studentId, q.student_id));
  if (q.program_id) conds.push(eq(programEnrollments.programId, q.program_id));
  if (q.status) conds.push(eq(programEnrollments.status, q.status));
  const where = and(...conds);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(programEnrollments), _total })
        .from(programEnrollments)
        .where(where)
        .orderBy(desc(programEnrollments.createdAt), asc(programEnrollments.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(programEnrollments).where(where),
    w,
  );
  return page(rows.map(toProgramEnrollment), total, w);
}

export async function getProgramEnrollment(db: Db, ctx: RequestContext, id: string) {
  const [row] = await db
    .select()
    .from(programEnrollments)
    .where(and(eq(programEnrollments.id, id), programEnrollmentReadScope(ctx.actor, programEnrollments)));
  if (!row) throw notFound('Program enrollment');
  return toProgramEnrollment(row);
}

export async function updateProgramEnrollment(
  db: Db,
  ctx: RequestContext,
  id: string,
  input: Static<typeof S.UpdateProgramEnrollment>,
) {
  return withTx(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(programEnrollments)
      .where(
        and(
          eq(programEnrollments.id, id),
          orgScope(ctx.actor, 'program_enrollments:write', programEnrollments.organizationId),
        ),
      )
      .for('update');
    if (!before) throw notFound('Program enrollment');
    const [row] = await tx
      .update(programEnrollments)
      .set({
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.batch_year !== undefined ? { batchYear: input.batch_year } : {}),
        updatedAt: new Date(),
      })
      .where(eq(programEnrollments.id, id))
      .returning();
    const out = toProgramEnrollment(row);
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'program_enrollment',
      entityId: id,
      organizationId: row.organizationId,
      before: toProgramEnrollment(before),
      after: out,
    });
    return out;
  });
}
