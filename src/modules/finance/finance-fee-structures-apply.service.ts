import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { withTx } from '../../kernel/tx.js';
import { findWritable } from './finance-fee-structures.service.js';

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
 * (student, fee structure, installment) makes a repeated apply a no-op.
 */
export async function applyFeeStructure(db: Db, ctx: RequestContext, id: string) {
  return withTx(db, async (tx) => {
    const fs = await findWritable(tx as unknown as Db, ctx.actor, id);
    if (!fs) throw notFound('Fee structure');
    const targeted = sql`
      select s.id, s.organization_id from fee_structures fs
        cross join lateral ${targetStudents()} t(id)
        join students s on s.id = t.id
        join organizations so on so.id = s.organization_id
        join organizations fo on fo.id = fs.organization_id
       where fs.id = ${id} and so.path like fo.path || '%' and so.currency = fs.currency and s.deleted_at is null`;
    const res = await tx.execute(sql`
      with tgt as (${targeted}),
      ins as (
        insert into ledger_entries (id, organization_id, student_id, entry_type, amount_minor, currency,
                                    fee_structure_id, installment_no, due_date, reason, created_by)
        select gen_random_uuid(), tgt.organization_id, tgt.id, 'charge', i.amount_minor, fs.currency, fs.id, i.no,
               i.due_date, fs.name || case when jsonb_array_length(fs.schedule) > 1 then ' (installment ' || i.no || ')' else '' end,
               ${ctx.actor.userId}
          from tgt
          join fee_structures fs on fs.id = ${id}
          cross join lateral jsonb_to_recordset(fs.schedule) as i(no int, due_date date, amount_minor bigint)
         where i.amount_minor > 0
        on conflict do nothing
        returning student_id)
      select (select count(*) from tgt)::int as targeted,
             (select count(distinct student_id) from ins)::int as charged,
             (select count(*) from ins)::int as entries`);
    const r = res.rows[0] as any;
    const out = {
      fee_structure_id: id,
      students_targeted: Number(r.targeted),
      students_charged: Number(r.charged),
      entries_created: Number(r.entries),
      already_charged: Number(r.targeted) - Number(r.charged),
    };
    await recordAudit(tx, ctx, {
      action: 'apply',
      entityType: 'fee_structure',
      entityId: id,
      organizationId: fs.organizationId,
      after: out,
    });
    return out;
  });
}
