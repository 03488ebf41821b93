import { sql } from 'drizzle-orm';
import { type DbOrTx, executePrepared } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { uuidv7 } from '../../kernel/ids.js';
import { firstRow } from '../../kernel/sql.js';
import { gradebookClassScope } from './grades.policy.js';

export interface MarkRow {
  student_id: string;
  marks: number | null;
  state: 'scored' | 'missing' | 'excused' | 'absent';
  comment: string | null;
  /** Optimistic check: the current version must equal this (0 = the mark must not exist yet). */
  expected_version?: number | null;
  /** Id of a new mark (OneRoster passback names its results); an existing mark keeps its id. */
  id?: string;
}

export interface WriteMarksOutcome {
  found: boolean;
  /** Inputs naming no enrolled student of the class, or over max marks. */
  problems: Array<{ index: number; student_id: string; reason: 'not_enrolled' | 'over_max' }>;
  duplicates: string[];
  stale: Array<{ student_id: string; version: number | null }>;
  maxMarks: number | null;
  created: number;
  updated: number;
}

const json = <T>(v: unknown): T | null => (typeof v === 'string' ? JSON.parse(v) : (v as T | null));

/**
 * Writes the marks of many students for one assessment in ONE statement: checks the actor's teaching scope,
 * that every student is enrolled in the assessment's class (one index scan of the class's enrollments, hashed,
 * not one probe per input row), marks ≤ max marks, duplicates and expected
 * versions; then upserts every mark (INSERT … SELECT FROM unnest … ON CONFLICT DO UPDATE, version + 1) and
 * writes the audit row with each change's old and new value — all or nothing. The rows being changed are
 * locked (FOR UPDATE) before they are read, so under concurrent edits the audit's "from" is the value the
 * edit really replaced, and no write is lost: the later edit waits for the earlier one and applies on top.
 */
export async function writeMarks(
  db: DbOrTx,
  ctx: RequestContext,
  assessmentId: string,
  rows: MarkRow[],
): Promise<WriteMarksOutcome> {
  const { actor } = ctx;
  const n = rows.length;
  const ids = rows.map((r) => r.id ?? uuidv7());
  const sids = rows.map((r) => r.student_id);
  const marks = rows.map((r) => r.marks);
  const states = rows.map((r) => r.state);
  const comments = rows.map((r) => r.comment);
  const versions = rows.map((r) => (r.expected_version === undefined ? null : r.expected_version));
  const cls = { id: sql`c.id`, organizationId: sql`c.organization_id` };
  const res = await executePrepared<MarksWriteRow>(
    db,
    sql`
    with input as (
      select * from unnest(${sql.param(ids)}::uuid[], ${sql.param(sids)}::uuid[], ${sql.param(marks)}::numeric[],
                           ${sql.param(states)}::text[]::mark_state[], ${sql.param(comments)}::text[],
                           ${sql.param(versions)}::int[])
        with ordinality as i(id, student_id, marks, state, comment, expected_version, ord)
    ),
    tgt as (
      select a.id, a.class_id, a.organization_id, a.max_marks from assessments a join classes c on c.id = a.class_id
       where a.id = ${assessmentId} and ${gradebookClassScope(actor, cls)}
    ),
    roster as materialized (
      select distinct e.student_id from enrollments e
       where e.class_id = (select class_id from tgt) and e.status in ('enrolled', 'completed')
    ),
    resolved as (
      select i.*, (r.student_id is not null) as enrolled,
             (i.marks is not null and i.marks > tgt.max_marks) as over_max
        from input i cross join tgt left join roster r on r.student_id = i.student_id
    ),
    problems as (
      select ord, student_id, case when not enrolled then 'not_enrolled' else 'over_max' end as reason
        from resolved where not enrolled or over_max
    ),
    dups as (select student_id from input group by student_id having count(*) > 1),
    old as materialized (
      select am.id, am.student_id, am.marks, am.state, am.comment, am.version from assessment_marks am
       where am.assessment_id = (select id from tgt) and am.student_id in (select student_id from input)
       order by am.student_id
       for update
    ),
    matched as (
      select r.*, o.id as old_id, o.marks as old_marks, o.state as old_state, o.version as old_version,
             (o.id is not null and (o.marks, o.state, o.comment) is distinct from (r.marks, r.state, r.comment)) as changed
        from resolved r left join old o on o.student_id = r.student_id
    ),
    stale as (
      select student_id, old_version from matched
       where expected_version is not null and coalesce(old_version, 0) <> expected_version
    ),
    ok as (
      select 1 from tgt where not exists (select 1 from problems) and not exists (select 1 from dups)
         and not exists (select 1 from stale)
    ),
    ins as (
      insert into assessment_marks as am (id, organization_id, assessment_id, student_id, class_id, marks, state,
                                          comment, graded_by)
      select m.id, tgt.organization_id, tgt.id, m.student_id, tgt.class_id, m.marks, m.state, m.comment,
             ${actor.userId}::uuid
        from matched m cross join tgt cross join ok
       order by m.student_id
      on conflict (assessment_id, student_id) do update
         set marks = excluded.marks, state = excluded.state, comment = excluded.comment,
             graded_by = excluded.graded_by, version = am.version + 1, updated_at = now()
       where (am.marks, am.state, am.comment) is distinct from (excluded.marks, excluded.state, excluded.comment)
      returning (am.xmax = 0) as inserted
    ),
    aud as (
      insert into audit_logs (id, actor_id, actor_username, action, entity_type, entity_id, organization_id,
                              after, ip, user_agent, request_id)
      select ${uuidv7()}, ${actor.userId}::uuid, ${actor.username}, 'marks.write', 'assessment', tgt.id::text,
             tgt.organization_id,
             jsonb_build_object('received', ${n}::int, 'created', (select count(*) from ins where inserted),
               -- One jsonb parse of the whole list: a jsonb_build_object per change and jsonb_agg cost twice as
               -- much. Every spliced value is a uuid, a number or an enum label, never free text.
               'changes', coalesce((select ('[' || string_agg('{"student_id":"' || student_id || '","from":'
                   || case when old_id is null then 'null'
                           else '{"marks":' || coalesce(old_marks::text, 'null') || ',"state":"' || old_state || '"}' end
                   || ',"to":{"marks":' || coalesce(marks::text, 'null') || ',"state":"' || state || '"}}', ','
                   order by ord) || ']')::jsonb
                 from matched where old_id is null or changed), '[]'::jsonb)),
             ${ctx.ip}, ${ctx.userAgent}, ${ctx.requestId}
        from tgt cross join ok
      returning 1
    )
    select (select count(*) from tgt)::int as found,
           (select max_marks from tgt)::float8 as max_marks,
           (select jsonb_agg(jsonb_build_object('index', ord - 1, 'student_id', student_id, 'reason', reason)
                     order by ord) from problems) as problems,
           (select jsonb_agg(student_id) from dups) as duplicates,
           (select jsonb_agg(jsonb_build_object('student_id', student_id, 'version', old_version)) from stale) as stale,
           (select count(*) from ins where inserted)::int as created,
           (select count(*) from ins where not inserted)::int as updated,
           (select count(*) from aud)::int as audited
  `,
  );
  const row = res.rows[0];
  return {
    found: row.found > 0,
    maxMarks: row.max_marks ?? null,
    problems: json(row.problems) ?? [],
    duplicates: json(row.duplicates) ?? [],
    stale: json(row.stale) ?? [],
    created: row.created,
    updated: row.updated,
  };
}

/** The assessment's class id, if the actor may read its marks (teach scope), else undefined. */
export async function assessmentInTeachScope(db: DbOrTx, ctx: RequestContext, id: string) {
  const cls = { id: sql`c.id`, organizationId: sql`c.organization_id` };
  return firstRow<{ id: string; class_id: string; max_marks: string }>(
    await db.execute(sql`select a.id, a.class_id, a.max_marks from assessments a join classes c on c.id = a.class_id
                          where a.id = ${id} and ${gradebookClassScope(ctx.actor, cls)}`),
  );
}

/** The one row the marks statement returns. */
interface MarksWriteRow extends Record<string, unknown> {
  found: number;
  max_marks: number | null;
  problems: unknown;
  duplicates: unknown;
  stale: unknown;
  created: number;
  updated: number;
  audited: number;
}
