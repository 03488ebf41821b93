import { sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit, recordAudits } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { AppError, badRequest, businessRule, conflict, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { withTx } from '../../kernel/tx.js';
import { classReadScope } from '../classes/index.js';
import { orgScope } from '../organizations/index.js';
import * as repo from './timetable.repo.js';
import type { GenerateT, ListSchedulesQuery, UpdateScheduleT } from './timetable.schemas.js';
import { classSchedules } from './timetable.table.js';
import { detectConflicts, type Placement } from './timetable-conflicts.js';
import { isoWeekday } from './timetable-ical.js';

const today = () => new Date().toISOString().slice(0, 10);

interface Item {
  class_id: string;
  slot_id: string;
  room_no?: string | null;
}

/** Resolves items to placements (404 naming each item whose class or slot is out of scope), then checks clashes. */
async function placeAndCheck(
  tx: DbOrTx,
  ctx: RequestContext,
  items: Item[],
  from: string,
  to: string | null,
  excludeIds: string[],
) {
  const classIds = [...new Set(items.map((i) => i.class_id))];
  const slotIds = [...new Set(items.map((i) => i.slot_id))];
  const classes = await repo.classesForScheduling(tx, ctx.actor, classIds);
  const slots = await repo.slotsForScheduling(tx, ctx.actor, slotIds);
  const cMap = new Map(classes.map((c) => [c.id, c]));
  const sMap = new Map(slots.map((s) => [s.id, s]));
  const missing = items.flatMap((it, i) => [
    ...(cMap.has(it.class_id) ? [] : [{ field: `items.${i}.class_id`, message: 'class not found' }]),
    ...(sMap.has(it.slot_id) ? [] : [{ field: `items.${i}.slot_id`, message: 'slot not found' }]),
  ]);
  if (missing.length) throw new AppError(404, 'not_found', 'Class or slot not found', missing);
  const people = await repo.peopleOf(tx, classIds);
  const placements: Placement[] = items.map((it, index) => {
    const s = sMap.get(it.slot_id)!;
    return {
      ref: { source: 'batch', index },
      classId: it.class_id,
      slotId: it.slot_id,
      organizationId: cMap.get(it.class_id)!.organization_id,
      roomNo: it.room_no ?? null,
      day: Number(s.day_of_week),
      start: s.start_time,
      end: s.end_time,
      from,
      to,
      teacherIds: people.teachers.get(it.class_id) ?? [],
      studentIds: people.students.get(it.class_id) ?? [],
    };
  });
  const existing = await repo.candidateClashes(tx, {
    days: [...new Set(placements.map((p) => p.day))],
    orgIds: [...new Set(placements.map((p) => p.organizationId))],
    classIds,
    from,
    to,
    excludeIds,
  });
  const ep = await repo.peopleOf(
    tx,
    existing.map((e) => e.classId),
  );
  const conflicts = detectConflicts(
    placements,
    existing.map((e) => ({
      ...e,
      teacherIds: ep.teachers.get(e.classId) ?? [],
      studentIds: ep.students.get(e.classId) ?? [],
    })),
  );
  if (conflicts.length) {
    throw businessRule(
      'timetable_conflicts',
      `${conflicts.length} clash(es); nothing was scheduled`,
      conflicts.map((c) => ({ field: `items.${c.index}`, ...c })),
    );
  }
  return placements;
}

/** POST /timetable/generate: all items or none, after checking every clash. */
export async function generate(db: Db, ctx: RequestContext, input: GenerateT) {
  const from = input.effective_from ?? today();
  const to = input.effective_to ?? null;
  if (to && to < from)
    throw badRequest('effective_to is before effective_from', [
      { field: 'effective_to', message: 'must not be before effective_from' },
    ]);
  return withTx(db, async (tx) => {
    // Serialize schedule generation per deployment so two concurrent batches cannot both pass the check.
    await repo.lockSchedules(tx);
    const placements = await placeAndCheck(tx, ctx, input.items, from, to, []);
    const values = placements.map((p) => ({
      id: uuidv7(),
      organizationId: p.organizationId,
      classId: p.classId,
      slotId: p.slotId,
      roomNo: p.roomNo,
      effectiveFrom: from,
      effectiveTo: to,
      createdBy: ctx.actor.userId,
    }));
    await tx.insert(classSchedules).values(values);
    await recordAudits(
      tx,
      ctx,
      values.map((v) => ({
        action: 'create',
        entityType: 'class_schedule',
        entityId: v.id,
        organizationId: v.organizationId,
        after: {
          class_id: v.classId,
          slot_id: v.slotId,
          room_no: v.roomNo,
          effective_from: from,
          effective_to: to,
        },
      })),
    );
    const rows = await repo.selectSchedules(
      tx,
      sql`cs.id = any(${sql.param(values.map((v) => v.id))}::uuid[])`,
      2000,
    );
    return rows.map(repo.toSchedule);
  });
}

export async function listSchedules(
  db: Db,
  ctx: RequestContext,
  q: Static<typeof ListSchedulesQuery>,
  w: PageWindow,
) {
  const conds = [classReadScope(ctx.actor, { id: sql`c.id`, organizationId: sql`c.organization_id` })];
  if (q.class_id) conds.push(sql`cs.class_id = ${q.class_id}`);
  if (q.slot_id) conds.push(sql`cs.slot_id = ${q.slot_id}`);
  if (q.room_no) conds.push(sql`upper(cs.room_no) = upper(${q.room_no})`);
  if (q.is_active !== undefined) conds.push(sql`cs.is_active = ${q.is_active}`);
  const rows = await repo.selectSchedules(db, sql.join(conds, sql` and `), w.limit, w.offset);
  return page(rows.map(repo.toSchedule), rows.length ? Number(rows[0].total_count) : 0, w);
}

/** PUT /timetable/{id}: change slot, room, dates or activity, re-checking clashes against everything else. */
export async function updateSchedule(db: Db, ctx: RequestContext, id: string, input: UpdateScheduleT) {
  return withTx(db, async (tx) => {
    await repo.lockSchedules(tx);
    const [before] = await repo.selectSchedules(
      tx,
      sql`cs.id = ${id} and ${orgScope(ctx.actor, 'timetable:write', sql`cs.organization_id`)}`,
    );
    if (!before) throw notFound('Class schedule');
    const b = repo.toSchedule(before);
    const next = {
      slot_id: input.slot_id ?? b.slot_id,
      room_no: input.room_no === undefined ? b.room_no : input.room_no,
      effective_from: input.effective_from ?? b.effective_from,
      effective_to: input.effective_to === undefined ? b.effective_to : input.effective_to,
      is_active: input.is_active ?? b.is_active,
    };
    if (next.effective_to && next.effective_to < next.effective_from) {
      throw badRequest('effective_to is before effective_from', [
        { field: 'effective_to', message: 'must not be before effective_from' },
      ]);
    }
    if (next.is_active) {
      await placeAndCheck(
        tx,
        ctx,
        [{ class_id: b.class_id, slot_id: next.slot_id, room_no: next.room_no }],
        next.effective_from,
        next.effective_to,
        [id],
      );
    }
    await repo.updateScheduleRow(tx, id, next);
    const [after] = await repo.selectSchedules(tx, sql`cs.id = ${id}`);
    const a = repo.toSchedule(after);
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'class_schedule',
      entityId: id,
      organizationId: a.organization_id,
      before: b,
      after: a,
    });
    return a;
  });
}

/** A one-time move of one meeting, as `createReschedule` is about to store it. */
export interface MoveT {
  classId: string;
  organizationId: string;
  scheduleId: string;
  originalDate: string;
  date: string;
  start: string;
  end: string;
  roomNo: string | null;
}

/**
 * The same room / teacher / student-group / class checks as generation, for one moved meeting on its new
 * date: against the weekly meetings on that date (less those cancelled or moved away that day, and the
 * meeting being moved) and the other meetings moved onto it. A clash answers 409 naming what it clashes with.
 * The caller holds `lockSchedules`.
 */
export async function checkMove(tx: DbOrTx, m: MoveT) {
  const day = isoWeekday(m.date);
  const weekly = await repo.candidateClashes(tx, {
    days: [day],
    orgIds: [m.organizationId],
    classIds: [m.classId],
    from: m.date,
    to: m.date,
    excludeIds: [],
  });
  const changed = await repo.changedMeetingsOn(
    tx,
    weekly.map((e) => (e.ref.source === 'existing' ? e.ref.schedule_id : '')).filter(Boolean),
    m.date,
  );
  const stillMeeting = weekly.filter((e) => {
    if (e.ref.source !== 'existing') return true;
    if (changed.has(e.ref.schedule_id)) return false;
    return !(e.ref.schedule_id === m.scheduleId && m.date === m.originalDate);
  });
  const moved = await repo.movedMeetingsOn(tx, {
    date: m.date,
    orgIds: [m.organizationId],
    classIds: [m.classId],
  });
  const existing = [...stillMeeting, ...moved];
  const people = await repo.peopleOf(tx, [m.classId, ...existing.map((e) => e.classId)]);
  const withPeople = <T extends { classId: string }>(p: T) => ({
    ...p,
    teacherIds: people.teachers.get(p.classId) ?? [],
    studentIds: people.students.get(p.classId) ?? [],
  });
  const conflicts = detectConflicts(
    [
      withPeople({
        ref: { source: 'batch' as const, index: 0 },
        classId: m.classId,
        slotId: '',
        organizationId: m.organizationId,
        roomNo: m.roomNo,
        day,
        start: m.start,
        end: m.end,
        from: m.date,
        to: m.date,
      }),
    ],
    existing.map(withPeople),
  );
  if (conflicts.length) {
    throw conflict(
      `The moved meeting clashes on ${m.date}: ${conflicts.map((c) => c.message).join('; ')}`,
      'timetable_conflicts',
      conflicts.map(({ index: _index, ...c }) => ({ field: 'new_date', ...c })),
    );
  }
}
