import { type SQL, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import { type Actor, grantsFor, type RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, conflict, notFound } from '../../kernel/errors.js';
import { formatMinor, parseAmount } from '../../kernel/money.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { feeStructures } from './finance.table.js';
import * as repo from './finance-fee-structures.repo.js';
import type {
  CreateFeeStructureT,
  FeeStructureT,
  ListFeeStructuresQuery,
  UpdateFeeStructureT,
} from './finance-fee-structures.schemas.js';
import { dateOnly } from './finance-mappers.js';

export function toFeeStructure(r: typeof feeStructures.$inferSelect): FeeStructureT {
  const c = r.currency;
  return {
    id: r.id,
    organization_id: r.organizationId,
    name: r.name,
    program_id: r.programId,
    class_id: r.classId,
    course_id: r.courseId,
    academic_year: r.academicYear,
    semester: r.semester,
    components: (r.components as Array<{ name: string; amount_minor: number }>).map((x) => ({
      name: x.name,
      amount: formatMinor(x.amount_minor, c),
    })),
    total: formatMinor(r.totalMinor, c),
    currency: c,
    due_date: dateOnly(r.dueDate)!,
    installments: r.installments
      ? (r.installments as Array<{ due_date: string; amount_minor: number }>).map((x) => ({
          due_date: x.due_date,
          amount: formatMinor(x.amount_minor, c),
        }))
      : null,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

/** Structures of the actor's organizations, their subtrees and their ancestors (a school sees district fees). */
function readScope(actor: Actor): SQL {
  const grants = grantsFor(actor, 'fee_structures:read');
  if (grants.length === 0) return sql`false`;
  const likes = sql.join(
    grants.map((g) => sql`(ro.path like ${`${g.path}%`} or ${g.path} like ro.path || '%')`),
    sql` or `,
  );
  return sql`${feeStructures.organizationId} in (select ro.id from organizations ro where ${likes})`;
}

/** Money fields → minor units; installments must add up to the total. */
function money(
  input: {
    components: { name: string; amount: string }[];
    installments?: { due_date: string; amount: string }[] | null;
    due_date: string;
  },
  currency: string,
) {
  const components = input.components.map((c, i) => ({
    name: c.name,
    amount_minor: parseAmount(c.amount, currency, `components/${i}/amount`),
  }));
  const total = components.reduce((a, c) => a + c.amount_minor, 0);
  const installments = input.installments
    ? input.installments.map((x, i) => ({
        due_date: x.due_date,
        amount_minor: parseAmount(x.amount, currency, `installments/${i}/amount`),
      }))
    : null;
  if (installments && installments.reduce((a, x) => a + x.amount_minor, 0) !== total) {
    throw badRequest('Installments must add up to the total of the components', [
      { field: 'installments', message: `must add up to ${formatMinor(total, currency)}` },
    ]);
  }
  const schedule = installments
    ? installments.map((x, i) => ({ no: i + 1, due_date: x.due_date, amount_minor: x.amount_minor }))
    : [{ no: 1, due_date: input.due_date, amount_minor: total }];
  return { components, totalMinor: total, installments, schedule };
}

export async function createFeeStructure(db: Db, ctx: RequestContext, input: CreateFeeStructureT) {
  const targets = [input.program_id, input.class_id, input.course_id].filter(Boolean);
  if (targets.length !== 1) {
    throw badRequest('Give exactly one of program_id, class_id, course_id', [
      { field: 'program_id', message: 'exactly one of program_id, class_id, course_id is required' },
    ]);
  }
  const [table, id]: [repo.FeeTarget, string] = input.program_id
    ? ['programs', input.program_id]
    : input.class_id
      ? ['classes', input.class_id]
      : ['courses', input.course_id!];
  return withTx(db, async (tx) => {
    const target = await repo.findTarget(tx, ctx.actor, table, id);
    if (!target) throw notFound(table === 'programs' ? 'Program' : table === 'classes' ? 'Class' : 'Course');
    const m = money(input, target.currency);
    const [row] = await tx
      .insert(feeStructures)
      .values({
        organizationId: target.organization_id,
        name:
          input.name ?? `${target.name} ${input.academic_year}${input.semester ? ` S${input.semester}` : ''}`,
        programId: input.program_id ?? null,
        classId: input.class_id ?? null,
        courseId: input.course_id ?? null,
        academicYear: input.academic_year,
        semester: input.semester ?? null,
        components: m.components,
        totalMinor: m.totalMinor,
        currency: target.currency,
        dueDate: input.due_date,
        installments: m.installments,
        schedule: m.schedule,
        createdBy: ctx.actor.userId,
      })
      .returning();
    const out = toFeeStructure(row);
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'fee_structure',
      entityId: row.id,
      organizationId: row.organizationId,
      after: out,
    });
    return out;
  });
}

export async function listFeeStructures(
  db: Db,
  ctx: RequestContext,
  q: Static<typeof ListFeeStructuresQuery>,
  w: PageWindow,
) {
  const conds: SQL[] = [readScope(ctx.actor)];
  if (q.program_id) conds.push(sql`${feeStructures.programId} = ${q.program_id}`);
  if (q.class_id) conds.push(sql`${feeStructures.classId} = ${q.class_id}`);
  if (q.course_id) conds.push(sql`${feeStructures.courseId} = ${q.course_id}`);
  if (q.academic_year) conds.push(sql`${feeStructures.academicYear} = ${q.academic_year}`);
  if (q.semester) conds.push(sql`${feeStructures.semester} = ${q.semester}`);
  const where = sql.join(conds, sql` and `);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(feeStructures)
      .where(where)
      .orderBy(sql`${feeStructures.dueDate} desc, ${feeStructures.id} desc`)
      .limit(w.limit)
      .offset(w.offset),
    db.select({ total: sql<number>`count(*)::int` }).from(feeStructures).where(where),
  ]);
  return page(rows.map(toFeeStructure), Number(total), w);
}

async function findReadable(db: Db, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(feeStructures)
    .where(sql`${feeStructures.id} = ${id} and ${readScope(actor)}`);
  return row ?? null;
}

export async function getFeeStructure(db: Db, ctx: RequestContext, id: string) {
  const row = await findReadable(db, ctx.actor, id);
  if (!row) throw notFound('Fee structure');
  return toFeeStructure(row);
}

export async function updateFeeStructure(
  db: Db,
  ctx: RequestContext,
  id: string,
  input: UpdateFeeStructureT,
) {
  return withTx(db, async (tx) => {
    const before = await repo.findWritable(tx, ctx.actor, id);
    if (!before) throw notFound('Fee structure');
    const moneyChange =
      input.components !== undefined || input.installments !== undefined || input.due_date !== undefined;
    if (moneyChange && (await repo.isApplied(tx, id))) {
      throw businessRule(
        'fee_structure_applied',
        'Amounts and due dates cannot change after the structure was applied; create a new one',
      );
    }
    const prev = toFeeStructure(before);
    const m = moneyChange
      ? money(
          {
            components: input.components ?? prev.components,
            installments: input.installments === undefined ? prev.installments : input.installments,
            due_date: input.due_date ?? prev.due_date,
          },
          before.currency,
        )
      : null;
    const [row] = await tx
      .update(feeStructures)
      .set({
        name: input.name,
        academicYear: input.academic_year,
        semester: input.semester,
        dueDate: input.due_date,
        ...(m
          ? {
              components: m.components,
              totalMinor: m.totalMinor,
              installments: m.installments,
              schedule: m.schedule,
            }
          : {}),
        updatedAt: new Date(),
      })
      .where(sql`${feeStructures.id} = ${id}`)
      .returning();
    const out = toFeeStructure(row);
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'fee_structure',
      entityId: id,
      organizationId: row.organizationId,
      before: prev,
      after: out,
    });
    return out;
  });
}

export async function deleteFeeStructure(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const before = await repo.findWritable(tx, ctx.actor, id);
    if (!before) throw notFound('Fee structure');
    if (await repo.isReferenced(tx, id))
      throw conflict('The fee structure has charges or payments', 'still_referenced');
    await tx.delete(feeStructures).where(sql`${feeStructures.id} = ${id}`);
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'fee_structure',
      entityId: id,
      organizationId: before.organizationId,
      before: toFeeStructure(before),
    });
  });
}
