import { once } from 'node:events';
import { type SQL, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { type Actor, assertCan, type RequestContext } from '../../kernel/auth/actor.js';
import { AppError, businessRule, notFound } from '../../kernel/errors.js';
import { defineJobKind } from '../../kernel/jobs.js';
import { loadArchiver } from '../../kernel/lazy.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import { classTeachScope } from '../classes/index.js';
import { manages, recordReadScope } from './grades.policy.js';
import { reportCardPdf } from './grades-pdf.js';
import { reportCard } from './grades-records.service.js';

/** What `POST /grades/report-cards/jobs` asks for: one term, and one class or one school (subtree). */
export interface ReportCardsParams {
  academic_session_id: string;
  class_id?: string;
  organization_id?: string;
}

/** A school's report cards in one ZIP at most: a bigger run is split by class. */
export const MAX_REPORT_CARDS = 10_000;
const BATCH = 200;

interface CardStudent extends Record<string, unknown> {
  id: string;
  student_number: string;
  first_name: string;
  last_name: string;
}

/** Students with posted grades in the term, in the class or the school's subtree, that the actor may read. */
function cardStudents(actor: Actor, p: ReportCardsParams): SQL {
  const inClass = p.class_id ? sql`and g.class_id = ${p.class_id}` : sql``;
  const inSchool = p.organization_id
    ? sql`and s.organization_id in (select o.id from organizations o
            where o.path like (select path from organizations where id = ${p.organization_id}) || '%')`
    : sql``;
  return sql`s.deleted_at is null
    and exists (select 1 from grades g where g.student_id = s.id and g.academic_session_id = ${p.academic_session_id}
                   and g.status = 'posted' ${inClass})
    ${inSchool}
    and ${recordReadScope(actor, { id: sql`s.id`, organizationId: sql`s.organization_id` })}`;
}

async function countCards(db: DbOrTx, actor: Actor, p: ReportCardsParams): Promise<number> {
  const res = await db.execute(
    sql`select count(*)::int as n from students s where ${cardStudents(actor, p)}`,
  );
  return Number(firstRow<{ n: number }>(res)?.n ?? 0);
}

/**
 * Checks a report-card run before it is queued: the term exists, the class is one the actor teaches or
 * manages, the school one they manage (404 otherwise), and there is something (not too much) to print.
 */
export async function checkReportCards(db: Db, ctx: RequestContext, p: ReportCardsParams): Promise<string> {
  const a = ctx.actor;
  const term = firstRow<{ organization_id: string }>(
    await db.execute(sql`select organization_id from academic_sessions where id = ${p.academic_session_id}`),
  );
  if (!term) throw notFound('Academic session');
  let orgId: string;
  if (p.class_id) {
    const cls = firstRow<{ organization_id: string }>(
      await db.execute(sql`select c.organization_id from classes c where c.id = ${p.class_id}
        and ${classTeachScope(a, { id: sql`c.id`, organizationId: sql`c.organization_id` })}`),
    );
    if (!cls) throw notFound('Class');
    orgId = cls.organization_id;
  } else {
    const org = firstRow<{ id: string }>(
      await db.execute(
        sql`select o.id from organizations o where o.id = ${p.organization_id} and ${manages(a, sql`o.id`)}`,
      ),
    );
    if (!org) throw notFound('Organization');
    orgId = org.id;
  }
  const n = await countCards(db, a, p);
  if (n === 0) throw businessRule('no_report_cards', 'No student has posted grades for this term there');
  if (n > MAX_REPORT_CARDS) {
    throw businessRule(
      'too_many_report_cards',
      `At most ${MAX_REPORT_CARDS} report cards per run; pick a class`,
    );
  }
  return orgId;
}

/** `S-0001-lopez-ana.pdf`: unique (the student number) and readable. */
const entryName = (s: CardStudent) =>
  `${`${s.student_number}-${s.last_name}-${s.first_name}`.replace(/[^A-Za-z0-9._-]+/g, '_')}.pdf`;

/**
 * Every report card of a class or a school for one term, as one ZIP of PDFs (the PDF of
 * GET /students/{id}/report-card). Students are read in keyset batches and each PDF is added once the
 * previous one is written, so memory stays flat whatever the school's size.
 */
export const reportCardsJob = defineJobKind<ReportCardsParams>({
  name: 'grades.report_cards',
  title: 'Report cards',
  maxAttempts: 3,
  timeoutSeconds: 3600,
  async run(job) {
    const { db, ctx, params } = job;
    assertCan(ctx.actor, 'grades:report_cards'); // the owner's rights as of the run
    const total = await countCards(db, ctx.actor, params);
    const { ZipArchive } = await loadArchiver();
    const zip = new ZipArchive({ zlib: { level: 6 } });
    const fill = async () => {
      let after: CardStudent | null = null;
      let done = 0;
      for (;;) {
        const keyset: SQL = after
          ? sql`and (s.last_name, s.first_name, s.id) > (${after.last_name}, ${after.first_name}, ${after.id})`
          : sql``;
        const batch: CardStudent[] = rowsOf<CardStudent>(
          await db.execute(sql`select s.id, s.student_number, s.first_name, s.last_name from students s
            where ${cardStudents(ctx.actor, params)} ${keyset}
            order by s.last_name, s.first_name, s.id limit ${BATCH}`),
        );
        for (const s of batch) {
          if (zip.destroyed || job.signal.aborted) return;
          try {
            const pdf = await reportCardPdf(await reportCard(db, ctx, s.id, params.academic_session_id));
            const written = once(zip, 'entry');
            zip.append(pdf, { name: entryName(s) });
            await written;
          } catch (err) {
            // A student who left the actor's scope since the check is skipped, not a failure.
            if (!(err instanceof AppError && err.statusCode === 404)) throw err;
          }
          await job.progress(++done / Math.max(total, 1));
        }
        if (batch.length < BATCH) break;
        after = batch[batch.length - 1];
      }
      await zip.finalize();
    };
    fill().catch((err: unknown) => zip.destroy(err instanceof Error ? err : new Error(String(err))));
    const stamp = new Date().toISOString().slice(0, 10);
    return { body: zip, fileName: `report-cards-${stamp}.zip`, contentType: 'application/zip' };
  },
});
