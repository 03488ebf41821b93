import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, executePrepared } from '../../db/client.js';
import { rowsOf } from '../../kernel/sql.js';

/**
 * Personnel by status as they stood at `at` and at `previous` (moment `now` / `then`), in ONE statement,
 * reconstructed from the status history: a person counts at a moment when their first history entry is at
 * or before it and they were not deleted by then, with the status of their last entry at or before it.
 * `scope` restricts `p.register_id`.
 */
export async function statusCountsAt(db: DbOrTx, scope: SQL, at: Date, previous: Date) {
  const res = await executePrepared(
    db,
    sql`
    select s.moment, s.status, count(*)::int as n
      from (select m.moment,
                   (select h.to_status from personnel_status_history h
                     where h.personnel_id = p.id and h.changed_at <= m.at
                     order by h.changed_at desc, h.id desc limit 1) as status
              from personnel p
             cross join (values ('now', ${at.toISOString()}::timestamptz),
                                ('then', ${previous.toISOString()}::timestamptz)) as m(moment, at)
             where ${scope} and (p.deleted_at is null or p.deleted_at > m.at)) s
     where s.status is not null
     group by s.moment, s.status`,
  );
  return rowsOf<{ moment: 'now' | 'then'; status: string; n: number }>(res);
}

/** Registers in `scope` (over `r.id`) that existed at `at` and at `previous`, in one statement. */
export async function registerCountAt(db: DbOrTx, scope: SQL, at: Date, previous: Date) {
  const res = await executePrepared(
    db,
    sql`select count(*) filter (where r.created_at <= ${at.toISOString()}::timestamptz)::int as at_now,
               count(*) filter (where r.created_at <= ${previous.toISOString()}::timestamptz)::int as at_previous
          from personnel_registers r where ${scope}`,
  );
  const row = rowsOf<{ at_now: number; at_previous: number }>(res)[0];
  return { now: row?.at_now ?? 0, previous: row?.at_previous ?? 0 };
}
