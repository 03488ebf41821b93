import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, executePrepared } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { uuidv7 } from '../../kernel/ids.js';
import type { Column } from '../../kernel/scopes.js';
import { attendanceClassScope } from './attendance.policy.js';
import type { RecordInputT } from './attendance.schemas.js';

/** Where the records go: an existing session, or the session of a class/date/period (created on demand). */
export type MarkTarget = { sessionId: string } | { classId: string; date: string; period: number | null };

export interface MarkOutcome {
  /** False when the session/class does not exist or lies outside the actor's scope. */
  found: boolean;
  frozen: boolean;
  /** Inputs that match no enrolled student (matches 0) or several (ambiguous roll number). */
  problems: Array<{ index: number; student_id: string | null; roll_no: string | null; matches: number }>;
  duplicates: string[];
  sessionId: string | null;
  classId: string | null;
  organizationId: string | null;
  date: string | null;
  period: number | null;
  created: number;
  updated: number;
  /** Per written record (only when `withChanges`): the student, old and new status. */
  changes: Array<{ student_id: string; old: string | null; new: string }>;
}

/** SQL predicate: an org-level freeze (on the org or an ancestor) locks `dateCol` for `orgIdCol`. */
export function frozenPredicate(orgIdCol: Column, dateCol: Column): SQL {
  return sql`exists (select 1 from organizations fo
                       join organizations fso on fo.path like fso.path || '%'
                       join attendance_settings fs on fs.organization_id = fso.id
                      where fo.id = ${orgIdCol} and fs.freeze_before > ${dateCol}
                        and (fs.unlocked_until is null or fs.unlocked_until <= now()))`;
}

/**
 * Marks many students in ONE statement: resolves each input (student_id or roll number) against the class
 * roster (active enrollments), checks scope, freeze date, unknown and duplicate students, and, only when all
 * is well, upserts every record with INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE and writes the
 * audit row — all or nothing, with no per-student round trip. The final SELECT reports what went wrong.
 */
export async function markRecords(
  db: DbOrTx,
  ctx: RequestContext,
  target: MarkTarget,
  records: RecordInputT[],
  opts: { withChanges?: boolean; evidenceUrl?: string | null } = {},
): Promise<MarkOutcome> {
  const n = records.length;
  const ids: string[] = new Array(n);
  const sids: (string | null)[] = new Array(n);
  const rolls: (string | null)[] = new Array(n);
  const statuses: string[] = new Array(n);
  const late: (number | null)[] = new Array(n);
  const remarks: (string | null)[] = new Array(n);
  const ai: boolean[] = new Array(n);
  const score: (number | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = records[i];
    ids[i] = uuidv7();
    sids[i] = r.student_id ?? null;
    rolls[i] = r.student_id ? null : (r.roll_no ?? null);
    statuses[i] = r.status;
    late[i] = r.minutes_late ?? null;
    remarks[i] = r.remarks ?? null;
    ai[i] = r.recognized_by_ai ?? false;
    score[i] = r.similarity_score ?? null;
  }
  const rollList = [...new Set(rolls.filter((r): r is string => r !== null))];
  const { actor } = ctx;
  const cls = { id: sql`c.id`, organizationId: sql`c.organization_id` };

  const tgt =
    'sessionId' in target
      ? sql`select s.class_id, s.organization_id, s.session_date, s.period, s.id as session_id
              from attendance_sessions s join classes c on c.id = s.class_id
             where s.id = ${target.sessionId} and ${attendanceClassScope(actor, cls)}`
      : sql`select c.id as class_id, c.organization_id, ${target.date}::date as session_date,
                   ${target.period}::smallint as period, null::uuid as session_id
              from classes c where c.id = ${target.classId} and ${attendanceClassScope(actor, cls)}`;

  const sess =
    'sessionId' in target
      ? sql`select tgt.session_id as id, tgt.* from tgt cross join ok`
      : sql`insert into attendance_sessions (id, organization_id, class_id, session_date, period, taken_by)
            select ${uuidv7()}, tgt.organization_id, tgt.class_id, tgt.session_date, tgt.period, ${actor.userId}
              from tgt cross join ok
            on conflict (class_id, session_date, (coalesce(period, 0)))
            do update set updated_at = now()
            returning id, class_id, organization_id, session_date, period`;

  const res = await executePrepared<MarkRow>(
    db,
    sql`
    with input as (
      select * from unnest(${sql.param(ids)}::uuid[], ${sql.param(sids)}::uuid[], ${sql.param(rolls)}::text[],
                           ${sql.param(statuses)}::text[]::attendance_status[], ${sql.param(late)}::int[],
                           ${sql.param(remarks)}::text[], ${sql.param(ai)}::boolean[],
                           ${sql.param(score)}::numeric[])
        with ordinality as i(id, student_id, roll_no, status, minutes_late, remarks, recognized_by_ai,
                             similarity_score, ord)
    ),
    tgt as (${tgt}),
    -- Roll numbers are resolved in ONE pass, not one probe per input: the students of the class's
    -- organization holding any of the given roll numbers (students_org_roll_idx, or at worst one scan of
    -- the organization) and enrolled in the class, folded into one jsonb map roll_no → [student ids].
    -- Each input then looks its roll number up in that map. No join here has a plan that can turn into
    -- input × roster when the planner's statistics are stale (a class imported seconds ago).
    rollmap as materialized (
      select coalesce(jsonb_object_agg(r.roll_no, r.ids), '{}'::jsonb) as m from (
        select st.roll_no, jsonb_agg(st.id) as ids
          from tgt join students st on st.organization_id = tgt.organization_id
         where st.roll_no = any(${sql.param(rollList)}::text[]) and st.deleted_at is null
           and exists (select 1 from enrollments e where e.student_id = st.id
                          and (e.class_id = tgt.class_id) is true and e.status = 'enrolled')
         group by st.roll_no
      ) r
    ),
    -- Student ids are resolved with index probes (lateral): through enrollments_active_uq and students_pkey.
    resolved as (
      select i.*, m.ids from input i cross join tgt
      cross join lateral (
        select array_agg(x.student_id) as ids from (
          -- "(…) is true" keeps the planner off the class index: probing by student is O(1) per input,
          -- scanning the class roster per input would be O(n²) (it happens when statistics are stale).
          select e.student_id from enrollments e join students st on st.id = e.student_id
           where i.student_id is not null and e.student_id = i.student_id
             and (e.class_id = tgt.class_id) is true and e.status = 'enrolled' and st.deleted_at is null
          union all
          select (j.v #>> '{}')::uuid from jsonb_array_elements((select m from rollmap) -> i.roll_no) j(v)
           where i.student_id is null
        ) x
      ) m
    ),
    problems as (
      select ord, student_id, roll_no, coalesce(cardinality(ids), 0) as matches
        from resolved where coalesce(cardinality(ids), 0) <> 1
    ),
    osess as (
      select os.id from attendance_sessions os join tgt on os.class_id = tgt.class_id
         and os.session_date = tgt.session_date and coalesce(os.period, 0) = coalesce(tgt.period, 0)
    ),
    matched as (
      select r.*, r.ids[1] as sid, o.id as old_id, o.status as old_status,
             (o.id is not null and (o.status, o.minutes_late, o.remarks, o.recognized_by_ai, o.similarity_score)
               is distinct from (r.status, r.minutes_late, r.remarks, r.recognized_by_ai, r.similarity_score))
               as changed
        from resolved r
        left join lateral (
          select ar.id, ar.status, ar.minutes_late, ar.remarks, ar.recognized_by_ai, ar.similarity_score
            from attendance_records ar where ar.session_id = (select id from osess) and ar.student_id = r.ids[1]
        ) o on true
       where cardinality(r.ids) = 1
    ),
    dups as (select sid as student_id from matched group by sid having count(*) > 1),
    frozen as (select 1 from tgt where ${frozenPredicate(sql`tgt.organization_id`, sql`tgt.session_date`)}),
    ok as (
      select 1 as ok from tgt
       where not exists (select 1 from problems) and not exists (select 1 from dups)
         and not exists (select 1 from frozen)
    ),
    sess as (${sess}),
    ins as (
      insert into attendance_records as ar (id, session_id, student_id, class_id, organization_id,
             attendance_date, status, minutes_late, remarks, recognized_by_ai, similarity_score, marked_by)
      select m.id, sess.id, m.sid, sess.class_id, sess.organization_id, sess.session_date, m.status,
             m.minutes_late, m.remarks, m.recognized_by_ai, m.similarity_score, ${actor.userId}::uuid
        from matched m cross join sess
      on conflict (session_id, student_id) do update
         set status = excluded.status, minutes_late = excluded.minutes_late, remarks = excluded.remarks,
             recognized_by_ai = excluded.recognized_by_ai, similarity_score = excluded.similarity_score,
             marked_by = excluded.marked_by, updated_at = now()
       where (ar.status, ar.minutes_late, ar.remarks, ar.recognized_by_ai, ar.similarity_score)
             is distinct from (excluded.status, excluded.minutes_late, excluded.remarks,
                               excluded.recognized_by_ai, excluded.similarity_score)
      -- xmax = 0 marks a freshly inserted row (vs. updated on conflict): exact even under concurrent marking.
      returning (ar.xmax = 0) as inserted
    ),
    aud as (
      insert into audit_logs (id, actor_id, actor_username, action, entity_type, entity_id, organization_id,
                              after, ip, user_agent, request_id)
      select ${uuidv7()}, ${actor.userId}::uuid, ${actor.username}, 'mark', 'attendance_session',
             sess.id::text, sess.organization_id,
             jsonb_build_object(
               'session_date', sess.session_date, 'period', sess.period, 'received', ${n}::int,
               'created', (select count(*) from ins where inserted),
               'changed', coalesce((select jsonb_agg(jsonb_build_object('record_id', old_id, 'student_id', sid,
                             'from', old_status, 'to', status)) from matched where changed), '[]'::jsonb)),
             ${ctx.ip}, ${ctx.userAgent}, ${ctx.requestId}
        from sess
      returning 1
    )
    select (select count(*) from tgt)::int as found,
           exists (select 1 from frozen) as frozen,
           (select jsonb_agg(jsonb_build_object('index', ord - 1, 'student_id', student_id, 'roll_no', roll_no,
                    'matches', matches) order by ord) from problems) as problems,
           (select jsonb_agg(student_id) from dups) as duplicates,
           (select id from sess) as session_id,
           (select class_id from tgt) as class_id,
           (select organization_id from tgt) as organization_id,
           (select session_date::text from tgt) as date,
           (select period from tgt)::int as period,
           (select count(*) from ins)::int as written,
           (select count(*) from ins where inserted)::int as created,
           (select count(*) from ins where not inserted)::int as updated,
           (select count(*) from aud)::int as audited,
           ${
             opts.withChanges
               ? sql`(select jsonb_agg(jsonb_build_object('student_id', sid, 'old', old_status, 'new', status))
                       from matched where old_id is null or changed)`
               : sql`null::jsonb`
           } as changes
  `,
  );
  const row = res.rows[0];
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
  return {
    found: row.found > 0,
    frozen: row.frozen === true,
    problems: json(row.problems) ?? [],
    duplicates: json(row.duplicates) ?? [],
    sessionId: row.session_id ?? null,
    classId: row.class_id ?? null,
    organizationId: row.organization_id ?? null,
    date: row.date ?? null,
    period: row.period ?? null,
    created: row.created,
    updated: row.updated,
    changes: json(row.changes) ?? [],
  };
}

/** The one row the marking statement returns (JSON columns arrive parsed or as text, by driver). */
interface MarkRow extends Record<string, unknown> {
  found: number;
  frozen: boolean | null;
  problems: unknown;
  duplicates: unknown;
  session_id: string | null;
  class_id: string | null;
  organization_id: string | null;
  date: string | null;
  period: number | null;
  written: number;
  created: number;
  updated: number;
  audited: number;
  changes: unknown;
}
