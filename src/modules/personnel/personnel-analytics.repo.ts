import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, executePrepared } from '../../db/client.js';
import { rowsOf } from '../../kernel/sql.js';

/**
 * Personnel by status as they stood at `at`, reconstructed from the status history: a person counts when
 * their first history entry is at or before `at` and they were not deleted by then, with the status of
 * their last entry at or before `at`. `scope` restricts `p.register_id`.
 */
export async function statusCountsAt(db: DbOrTx, scope: SQL, at: Date) {
  const res = await executePrepared(db, sql`
    select s.status, count(*)::int as n
      from (select (select h.to_status from personnel_status_history h
                     where h.personnel_id = p.id and h.changed_at <= ${at.toISOString()}::timestamptz
                     order by h.changed_at desc, h.id desc limit 1) as status
              from personnel p
             where ${scope} and (p.deleted_at is null or p.deleted_at > ${at.toISOString()}::timestamptz)) s
     where s.status is not null
     group by s.status`);
  return rowsOf<{ status: string; n: number }>(res);
}

/** Registers in `scope` (over `r.id`) that existed at `at`. */
export async function registerCountAt(db: DbOrTx, scope: SQL, at: Date): Promise<number> {
  const res = await executePrepared(db, 
    sql`select count(*)::int as n from personnel_registers r where ${scope} and r.created_at <= ${at.toISOString()}::timestamptz`,
  );
  return rowsOf<{ n: number }>(res)[0]?.n ?? 0;
}
