import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { firstRow } from '../../kernel/sql.js';
import { orgScope } from '../organizations/index.js';
import { feeStructures } from './finance.table.js';

export type FeeStructureRow = typeof feeStructures.$inferSelect;
export type FeeTarget = 'programs' | 'classes' | 'courses';

/** The program, class or course a structure charges, in the actor's finance-desk scope, or null. */
export async function findTarget(db: DbOrTx, actor: Actor, table: FeeTarget, id: string) {
  const res = await db.execute(sql`
    select t.organization_id, t.name, o.currency from ${sql.identifier(table)} t
      join organizations o on o.id = t.organization_id
     where t.id = ${id} and ${orgScope(actor, 'finance:manage', sql`t.organization_id`)}`);
  return firstRow<{ organization_id: string; name: string; currency: string }>(res) ?? null;
}

/** Locks the structure row (in the actor's finance-desk scope): used inside transactions only. */
export async function findWritable(db: DbOrTx, actor: Actor, id: string): Promise<FeeStructureRow | null> {
  const [row] = await db
    .select()
    .from(feeStructures)
    .where(
      sql`${feeStructures.id} = ${id} and ${orgScope(actor, 'finance:manage', feeStructures.organizationId)}`,
    )
    .for('update');
  return row ?? null;
}

/** Whether the structure has charged anyone. */
export async function isApplied(db: DbOrTx, id: string) {
  const r = await db.execute(
    sql`select 1 from ledger_entries where fee_structure_id = ${id} and entry_type = 'charge' limit 1`,
  );
  return r.rows.length > 0;
}

/** Whether ledger entries or payments name the structure. */
export async function isReferenced(db: DbOrTx, id: string) {
  const used = await db.execute(sql`select 1 from ledger_entries where fee_structure_id = ${id} union all
                                    select 1 from fee_payments where fee_structure_id = ${id} limit 1`);
  return used.rows.length > 0;
}

/** Students a structure targets: a program's active students, or the active enrollments of a class / course. */
function targetStudents(): SQL {
  return sql`(
    select s.id from students s where fs.program_id is not null and s.program_id = fs.program_id and s.deleted_at is null
    union select pe.student_id from program_enrollments pe where fs.program_id is not null and pe.program_id = fs.program_id and pe.status = 'active'
    union select e.student_id from enrollments e where fs.class_id is not null and e.class_id = fs.class_id and e.status = 'enrolled'
    union select e.student_id from enrollments e join classes c on c.id = e.class_id
           where fs.course_id is not null and c.course_id = fs.course_id and e.status = 'enrolled')`;
}

/**
 * Charges every targeted student once per installment with ONE set-based INSERT ... SELECT; the unique index
 * (student, fee structure, installment) makes a repeated apply a no-op. Returns the counts.
 */
export async function applyCharges(db: DbOrTx, id: string, createdBy: string) {
  const targeted = sql`
    select s.id, s.organization_id from fee_structures fs
      cross join lateral ${targetStudents()} t(id)
      join students s on s.id = t.id
      join organizations so on so.id = s.organization_id
      join organizations fo on fo.id = fs.organization_id
     where fs.id = ${id} and so.path like fo.path || '%' and so.currency = fs.currency and s.deleted_at is null`;
  const res = await db.execute(sql`
    with tgt as (${targeted}),
    ins as (
      insert into ledger_entries (id, organization_id, student_id, entry_type, amount_minor, currency,
                                  fee_structure_id, installment_no, due_date, reason, created_by)
      select gen_random_uuid(), tgt.organization_id, tgt.id, 'charge', i.amount_minor, fs.currency, fs.id, i.no,
             i.due_date, fs.name || case when jsonb_array_length(fs.schedule) > 1 then ' (installment ' || i.no || ')' else '' end,
             ${createdBy}
        from tgt
        join fee_structures fs on fs.id = ${id}
        cross join lateral jsonb_to_recordset(fs.schedule) as i(no int, due_date date, amount_minor bigint)
       where i.amount_minor > 0
      on conflict do nothing
      returning student_id)
    select (select count(*) from tgt)::int as targeted,
           (select count(distinct student_id) from ins)::int as charged,
           (select count(*) from ins)::int as entries`);
  const r = firstRow<{ targeted: number; charged: number; entries: number }>(res);
  return {
    targeted: Number(r?.targeted ?? 0),
    charged: Number(r?.charged ?? 0),
    entries: Number(r?.entries ?? 0),
  };
}
