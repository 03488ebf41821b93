import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { rowsOf } from '../../kernel/sql.js';
import { type ClientPrincipal, clientActor } from '../clients/index.js';
import { createAssessment, type MarkRow, saveMarks, updateAssessment } from '../grades/index.js';
import { classes } from './oneroster-collections.js';
import { orBadRequest, orError } from './oneroster-errors.js';
import { lineItems, results } from './oneroster-gradebook.collections.js';
import type { LineItemInT, ResultInT } from './oneroster-gradebook.schemas.js';
import { findRow } from './oneroster-query.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidOf(value: string, field: string): string {
  if (!UUID.test(value))
    throw orBadRequest('invaliddata', `${field} must be a UUID (Registrar's sourcedIds are UUIDs)`);
  return value.toLowerCase();
}

/** The API client as the actor of the grades module's services (audit rows name `api-client:<client_id>`). */
export function clientContext(request: FastifyRequest, p: ClientPrincipal): RequestContext {
  return {
    actor: clientActor(p),
    ip: request.ip ?? null,
    userAgent: (request.headers['user-agent'] as string | undefined)?.slice(0, 500) ?? null,
    requestId: String(request.id),
  };
}

const optionalRef = (r: { sourcedId: string } | null | undefined, field: string) =>
  r === undefined ? undefined : r === null ? null : uuidOf(r.sourcedId, field);

/**
 * PUT lineItems/{id}: updates the assessment, or creates it under that id in the line item's class — with
 * the grades module's rules (the class in the client's subtree, the category of the same class) and its
 * audit rows. Returns whether it was created.
 */
export async function putLineItem(
  db: Db,
  ctx: RequestContext,
  p: ClientPrincipal,
  id: string,
  li: LineItemInT,
) {
  const sid = uuidOf(id, 'sourcedId');
  if (li.sourcedId !== undefined && li.sourcedId.toLowerCase() !== sid) {
    throw orBadRequest('invaliddata', 'lineItem.sourcedId differs from the path');
  }
  const classId = uuidOf(li.class.sourcedId, 'lineItem.class.sourcedId');
  const date = li.assignDate ?? li.dueDate;
  const [existing] = rowsOf<{ class_id: string }>(
    await db.execute(sql`select class_id from assessments where id = ${sid}::uuid`),
  );
  if (existing) {
    if (!(await findRow(db, p, lineItems, sid))) throw orError(404, 'unknownobject', `No lineItem ${sid}`);
    if (existing.class_id !== classId)
      throw orBadRequest('invaliddata', 'A line item cannot move to another class');
    await updateAssessment(db, ctx, sid, {
      name: li.title,
      max_marks: li.resultValueMax,
      ...(li.description !== undefined ? { description: li.description } : {}),
      ...(date !== undefined ? { date } : {}),
      ...(li.category !== undefined
        ? { category_id: optionalRef(li.category, 'lineItem.category.sourcedId') }
        : {}),
      ...(li.gradingPeriod !== undefined
        ? { academic_session_id: optionalRef(li.gradingPeriod, 'lineItem.gradingPeriod.sourcedId') }
        : {}),
    });
    return { created: false, id: sid };
  }
  await createLineItem(db, ctx, p, classId, li, sid);
  return { created: true, id: sid };
}

async function createLineItem(
  db: Db,
  ctx: RequestContext,
  p: ClientPrincipal,
  classId: string,
  li: Omit<LineItemInT, 'class'>,
  id?: string,
) {
  if (!(await findRow(db, p, classes, classId))) throw orError(404, 'unknownobject', `No class ${classId}`);
  const created = await createAssessment(
    db,
    ctx,
    {
      class_id: classId,
      name: li.title,
      assessment_type: 'assignment',
      max_marks: li.resultValueMax,
      description: li.description ?? null,
      date: li.assignDate ?? li.dueDate ?? null,
      category_id: optionalRef(li.category, 'category.sourcedId') ?? null,
      ...(li.gradingPeriod
        ? { academic_session_id: uuidOf(li.gradingPeriod.sourcedId, 'gradingPeriod.sourcedId') }
        : {}),
    },
    id,
  );
  return created.id;
}

/** POST classes/{id}/lineItems: creates each line item in the class; answers the sourcedId pairs. */
export async function postClassLineItems(
  db: Db,
  ctx: RequestContext,
  p: ClientPrincipal,
  classId: string,
  items: Array<Omit<LineItemInT, 'class'>>,
) {
  const cid = uuidOf(classId, 'class sourcedId');
  const pairs: Array<{ suppliedSourcedId: string | null; allocatedSourcedId: string }> = [];
  for (const li of items) {
    const supplied = li.sourcedId ? uuidOf(li.sourcedId, 'lineItems.sourcedId') : undefined;
    const id = await createLineItem(db, ctx, p, cid, li, supplied);
    pairs.push({ suppliedSourcedId: li.sourcedId ?? null, allocatedSourcedId: id });
  }
  return pairs;
}

/** Binding score status → Registrar mark state and marks. */
function markOf(r: Omit<ResultInT, 'lineItem'>, studentId: string, id?: string): MarkRow {
  const comment = r.comment ?? null;
  if (r.scoreStatus === 'exempt')
    return { student_id: studentId, marks: null, state: 'excused', comment, id };
  if (r.scoreStatus === 'not submitted')
    return { student_id: studentId, marks: null, state: 'missing', comment, id };
  if (r.score === undefined || r.score === null) {
    throw orBadRequest('invaliddata', `A result with scoreStatus "${r.scoreStatus}" needs a score`);
  }
  return { student_id: studentId, marks: r.score, state: 'scored', comment, id };
}

/**
 * PUT results/{id}: writes the mark through the grades module (enrolled student, ≤ max marks, the class in
 * the client's subtree; one audit row naming the client). A new mark takes the path id; an existing mark of
 * the same line item and student keeps its own id.
 */
export async function putResult(db: Db, ctx: RequestContext, p: ClientPrincipal, id: string, r: ResultInT) {
  const sid = uuidOf(id, 'sourcedId');
  if (r.sourcedId !== undefined && r.sourcedId.toLowerCase() !== sid) {
    throw orBadRequest('invaliddata', 'result.sourcedId differs from the path');
  }
  const lineItemId = uuidOf(r.lineItem.sourcedId, 'result.lineItem.sourcedId');
  const studentId = uuidOf(r.student.sourcedId, 'result.student.sourcedId');
  const [existing] = rowsOf<{ assessment_id: string; student_id: string }>(
    await db.execute(sql`select assessment_id, student_id from assessment_marks where id = ${sid}::uuid`),
  );
  if (existing && (existing.assessment_id !== lineItemId || existing.student_id !== studentId)) {
    if (!(await findRow(db, p, results, sid))) throw orError(404, 'unknownobject', `No result ${sid}`);
    throw orBadRequest('invaliddata', 'The result belongs to another line item or student');
  }
  const out = await saveMarks(db, ctx, lineItemId, [markOf(r, studentId, sid)], 'result/');
  const [row] = rowsOf<{ id: string }>(
    await db.execute(
      sql`select id from assessment_marks where assessment_id = ${lineItemId}::uuid and student_id = ${studentId}::uuid`,
    ),
  );
  return { created: out.created > 0, id: row.id };
}

/** POST lineItems/{id}/results: writes every result of the line item at once (all or nothing). */
export async function postLineItemResults(
  db: Db,
  ctx: RequestContext,
  lineItemId: string,
  items: Array<Omit<ResultInT, 'lineItem'>>,
) {
  const aid = uuidOf(lineItemId, 'lineItem sourcedId');
  const rows = items.map((r, i) =>
    markOf(
      r,
      uuidOf(r.student.sourcedId, `results/${i}/student.sourcedId`),
      r.sourcedId ? uuidOf(r.sourcedId, `results/${i}/sourcedId`) : undefined,
    ),
  );
  await saveMarks(db, ctx, aid, rows, 'results/');
  const ids = rowsOf<{ id: string; student_id: string }>(
    await db.execute(sql`select id, student_id from assessment_marks where assessment_id = ${aid}::uuid
                           and student_id = any(${sql.param(rows.map((r) => r.student_id))}::uuid[])`),
  );
  const byStudent = new Map(ids.map((x) => [x.student_id, x.id]));
  return items.map((r, i) => ({
    suppliedSourcedId: r.sourcedId ?? null,
    allocatedSourcedId: byStudent.get(rows[i].student_id) ?? '',
  }));
}
