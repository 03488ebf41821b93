import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, executePrepared } from '../../db/client.js';
import { rowsOf } from '../../kernel/sql.js';

/**
 * The summaries the dashboards read (report_counters, report_monthly; kept by the triggers of
 * reports.custom.sql). `orgs` selects the organizations (the actor's scope, a subtree), and every query is a
 * primary-key range scan of the summaries per organization: its cost follows the number of organizations and
 * months, never the number of students or records. Each runs 0.1–0.3 ms but took 1.5–2 ms to plan, so they
 * are named prepared statements (`executePrepared`): planned once per connection, not per request.
 */

export type CounterRow = { unit_id: string | null; metric: string; value: number };
export type FeeRow = { unit_id: string | null; currency: string; amount: number | string };
export type MonthRow = { month: string; metric: string; currency: string; value: number };

/** A predicate on an organization id column: which organizations' summaries are read. */
export type OrgPredicate = (orgCol: SQL) => SQL;

/**
 * How summaries are grouped: not at all, by school (the organization of kind school on an organization's
 * path: a school itself, or the school above a campus or sub-unit), or by the direct child of one
 * organization that the row lies under (a district's schools).
 */
export type Grouping = 'none' | 'school' | { childOf: string };

const pathIds = (path: SQL) => sql`string_to_array(trim(both '/' from ${path}), '/')`;

/** The organizations of `orgs`, each with its group (`unit_id`); one lookup per organization, not per row. */
function orgsByUnit(orgs: OrgPredicate, g: Grouping): SQL {
  let unit: SQL;
  if (g === 'none') unit = sql`null::uuid`;
  else if (g === 'school') {
    unit = sql`(select sch.id from organizations sch
                 where sch.id = any(${pathIds(sql`so.path`)}::uuid[]) and sch.kind = 'school' limit 1)`;
  } else {
    unit = sql`(${pathIds(sql`so.path`)})[(select array_length(${pathIds(sql`p.path`)}, 1) + 1
                 from organizations p where p.id = ${g.childOf})]::uuid`;
  }
  return sql`(select so.id, ${unit} as unit_id from organizations so where ${orgs(sql`so.id`)})`;
}

/** Counter sums over `orgs`, per group (`unit_id` null: outside any group, or no grouping). */
export async function counterSums(db: DbOrTx, orgs: OrgPredicate, g: Grouping): Promise<CounterRow[]> {
  const res = await executePrepared(
    db,
    sql`
    select o.unit_id, c.metric, sum(c.value)::float8 as value
      from ${orgsByUnit(orgs, g)} o
      join report_counters c on c.organization_id = o.id
     group by o.unit_id, c.metric`,
  );
  return rowsOf<CounterRow>(res);
}

/** Fees collected (payments − refunds, minor units) over `orgs` per currency and group. */
export async function feeSums(db: DbOrTx, orgs: OrgPredicate, g: Grouping): Promise<FeeRow[]> {
  const res = await executePrepared(
    db,
    sql`
    select o.unit_id, c.currency,
           sum(case when c.metric = 'fees_paid' then c.value else -c.value end)::text as amount
      from ${orgsByUnit(orgs, g)} o
      join report_monthly c on c.organization_id = o.id and c.metric in ('fees_paid', 'fees_refunded')
     group by o.unit_id, c.currency
     order by c.currency`,
  );
  return rowsOf<FeeRow>(res);
}

/** Monthly tallies over `orgs` from the month `since` (YYYY-MM-01) on. */
export async function monthlySums(db: DbOrTx, orgs: OrgPredicate, since: string): Promise<MonthRow[]> {
  const res = await executePrepared(
    db,
    sql`
    select to_char(c.month, 'YYYY-MM') as month, c.metric, c.currency, sum(c.value)::float8 as value
      from ${orgsByUnit(orgs, 'none')} o
      join report_monthly c on c.organization_id = o.id and c.month >= ${since}::date
     group by c.month, c.metric, c.currency`,
  );
  return rowsOf<MonthRow>(res);
}

/**
 * Users homed in `orgs` as they stood at the end of `at`'s and of `previous`'s month (or now, for the
 * current month), in one statement: all users counted, minus those created in later months. Exact at
 * month ends and now, the two moments the office dashboard compares.
 */
export async function usersAt(
  db: DbOrTx,
  orgs: OrgPredicate,
  at: Date,
  previous: Date,
): Promise<[number, number]> {
  const monthOf = (d: Date) =>
    new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const res = await executePrepared(
    db,
    sql`
    with o as (select id from ${orgsByUnit(orgs, 'none')} u),
         total as (select coalesce(sum(c.value), 0) as n from o
                     join report_counters c on c.organization_id = o.id and c.metric = 'users'),
         created as (select m.month, m.value from o
                       join report_monthly m on m.organization_id = o.id and m.metric = 'users_created'
                        and m.month > least(${monthOf(at)}::date, ${monthOf(previous)}::date))
    select (select n from total) - coalesce((select sum(value) from created where month > ${monthOf(at)}::date), 0) as at_now,
           (select n from total) - coalesce((select sum(value) from created where month > ${monthOf(previous)}::date), 0) as at_previous`,
  );
  const row = rowsOf<{ at_now: string; at_previous: string }>(res)[0];
  return [Number(row?.at_now ?? 0), Number(row?.at_previous ?? 0)];
}

/** The schools among the organizations of `orgs`, by name. */
export async function schoolsIn(db: DbOrTx, orgs: OrgPredicate) {
  const res = await executePrepared(
    db,
    sql`select s.id, s.name from organizations s where s.kind = 'school' and ${orgs(sql`s.id`)} order by s.name, s.id`,
  );
  return rowsOf<{ id: string; name: string }>(res);
}

/** The direct children of the organization `id` (a district's schools), by name. */
export async function childrenOf(db: DbOrTx, id: string) {
  const res = await executePrepared(
    db,
    sql`select s.id, s.name from organizations s where s.parent_id = ${id} order by s.name, s.id`,
  );
  return rowsOf<{ id: string; name: string }>(res);
}

/** The organization `id` with its name and kind, when `scope` (a predicate on `o.id`) allows it. */
export async function findOrg(db: DbOrTx, scope: SQL, id: string) {
  const res = await executePrepared(
    db,
    sql`select o.id, o.name, o.kind::text as kind from organizations o where o.id = ${id} and ${scope}`,
  );
  return rowsOf<{ id: string; name: string; kind: string }>(res)[0];
}
