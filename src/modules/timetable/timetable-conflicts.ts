/** Pure clash detection for weekly class schedules (no I/O; unit-tested directly). */

export type PlacementRef =
  | { source: 'batch'; index: number }
  | { source: 'existing'; schedule_id: string }
  /** A one-time moved meeting (a class_reschedules row with action `move`). */
  | { source: 'moved'; reschedule_id: string };

export interface Placement {
  ref: PlacementRef;
  classId: string;
  slotId: string;
  organizationId: string;
  roomNo: string | null;
  /** ISO day of week, 1 = Monday. */
  day: number;
  /** 'HH:MM' or 'HH:MM:SS' local times; compared as strings of equal shape. */
  start: string;
  end: string;
  from: string;
  to: string | null;
  teacherIds: string[];
  studentIds: string[];
}

export type ConflictType = 'class' | 'room' | 'teacher' | 'student_group';

export interface Conflict {
  /** Index of the batch item that cannot be placed. */
  index: number;
  type: ConflictType;
  clashes_with: PlacementRef & { class_id: string; slot_id: string; room_no: string | null };
  /** Shared teachers (teacher clash) or how many enrolled students overlap (student-group clash). */
  faculty_ids?: string[];
  shared_students?: number;
  message: string;
}

const hm = (t: string) => t.slice(0, 5);
const normRoom = (r: string | null) => (r ? r.trim().toUpperCase() : null);

/** Same weekday, overlapping times and overlapping effective date ranges. */
export function overlaps(a: Placement, b: Placement): boolean {
  if (a.day !== b.day) return false;
  if (!(hm(a.start) < hm(b.end) && hm(b.start) < hm(a.end))) return false;
  const aTo = a.to ?? '9999-12-31';
  const bTo = b.to ?? '9999-12-31';
  return a.from <= bTo && b.from <= aTo;
}

function intersect(a: string[], b: string[]): string[] {
  if (!a.length || !b.length) return [];
  const set = new Set(a);
  return b.filter((x) => set.has(x));
}

/**
 * Every clash of every batch item with the existing schedules and with the batch items before it: the same
 * class twice at once, a room used twice (per organization), a teacher in two places, or two classes that
 * share enrolled students. Each clash is reported once, on the later batch item, naming what it clashes with.
 */
export function detectConflicts(batch: Placement[], existing: Placement[]): Conflict[] {
  const out: Conflict[] = [];
  batch.forEach((item, i) => {
    const index = item.ref.source === 'batch' ? item.ref.index : i;
    const others = [...existing, ...batch.slice(0, i)];
    for (const other of others) {
      if (!overlaps(item, other)) continue;
      const withRef = { ...other.ref, class_id: other.classId, slot_id: other.slotId, room_no: other.roomNo };
      const where =
        other.ref.source === 'existing'
          ? `existing schedule ${other.ref.schedule_id}`
          : other.ref.source === 'moved'
            ? `moved meeting ${other.ref.reschedule_id}`
            : `item ${other.ref.index}`;
      if (item.classId === other.classId) {
        out.push({
          index,
          type: 'class',
          clashes_with: withRef,
          message: `the class already meets then (${where})`,
        });
        continue;
      }
      const room = normRoom(item.roomNo);
      if (room && room === normRoom(other.roomNo) && item.organizationId === other.organizationId) {
        out.push({
          index,
          type: 'room',
          clashes_with: withRef,
          message: `room ${item.roomNo} is taken (${where})`,
        });
      }
      const teachers = intersect(item.teacherIds, other.teacherIds);
      if (teachers.length) {
        out.push({
          index,
          type: 'teacher',
          clashes_with: withRef,
          faculty_ids: teachers,
          message: `a teacher of the class teaches elsewhere then (${where})`,
        });
      }
      const shared = intersect(item.studentIds, other.studentIds).length;
      if (shared) {
        out.push({
          index,
          type: 'student_group',
          clashes_with: withRef,
          shared_students: shared,
          message: `${shared} enrolled student(s) would be in two classes at once (${where})`,
        });
      }
    }
  });
  return out;
}
