import { departments, programs } from '../../src/modules/academics/academics.table.js';
import { attendanceRecords, attendanceSessions } from '../../src/modules/attendance/attendance.table.js';
import { feePayments, ledgerEntries } from '../../src/modules/finance/finance.table.js';
import { assessmentMarks, assessments, grades } from '../../src/modules/grades/grades.table.js';
import { hostelAllocations, hostelRooms, hostels } from '../../src/modules/hostels/hostels.table.js';
import {
  libraryBooks,
  libraryCopies,
  libraryFines,
  libraryLoans,
} from '../../src/modules/library/library.table.js';
import { assignTeacher, enrollDirect, makeClass, makeCourse, makeFaculty, makeStudent } from './academic.js';
import { type App, uniq } from './app.js';
import { makeChildOrg, makeRootOrg, makeUser } from './factories.js';

/** A small seeded PRNG (mulberry32), so a failing randomized run can be replayed with its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}

const DAY = 86_400_000;
/** YYYY-MM-DD of `n` days before today (UTC). */
export const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
/** The most recent weekday at least `n` days ago. */
export function weekdayAgo(n: number): string {
  for (let i = n; ; i++) {
    const d = new Date(Date.now() - i * DAY);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) return d.toISOString().slice(0, 10);
  }
}

export type Status = 'present' | 'absent' | 'late' | 'excused';

/**
 * A district with two schools (and a second district that nobody here may see), each school with a
 * department, program, course, two classes, students, roll calls, posted grades, exams, ledger payments and
 * refunds, a library and a hostel — random amounts and statuses from `seed`. Everything is inserted at the
 * database level and also returned, so tests compute the expected totals from the records themselves.
 */
export async function makeReportsWorld(app: App, seed: number) {
  const r = prng(seed);
  const db = app.deps.db;
  const district = await makeRootOrg(app, 'district');
  const schoolA = await makeChildOrg(app, district, 'school', `Alpha ${uniq()}`);
  const schoolB = await makeChildOrg(app, district, 'school', `Beta ${uniq()}`);
  const otherDistrict = await makeRootOrg(app, 'district');
  const otherSchool = await makeChildOrg(app, otherDistrict, 'school', `Other ${uniq()}`);
  const admin = await makeUser(app, district, 'admin');
  const principal = await makeUser(app, schoolA, 'principal');
  const student = await makeUser(app, schoolA, 'student');
  const otherAdmin = await makeUser(app, otherDistrict, 'admin');
  const auditor = await makeUser(app, district, 'auditor');

  const schools = [schoolA, schoolB, otherSchool];
  const world = {
    seed,
    district,
    schoolA,
    schoolB,
    otherDistrict,
    otherSchool,
    admin,
    principal,
    student,
    otherAdmin,
    auditor,
    teacher: await makeFaculty(app, schoolA, { firstName: 'Tess', lastName: 'Teacher' }),
    classes: [] as Array<{ id: string; organizationId: string; name: string; teacherId: string }>,
    students: [] as Array<{ id: string; organizationId: string; departmentId: string; programId: string }>,
    faculty: [] as Array<{ id: string; organizationId: string; departmentId: string | null }>,
    departments: [] as Array<{ id: string; organizationId: string }>,
    programs: [] as Array<{ id: string; organizationId: string; departmentId: string }>,
    courses: [] as Array<{ id: string; organizationId: string; departmentId: string }>,
    enrollments: [] as Array<{ id: string; studentId: string; classId: string; organizationId: string }>,
    sessions: [] as Array<{ classId: string; date: string }>,
    records: [] as Array<{
      classId: string;
      studentId: string;
      organizationId: string;
      date: string;
      status: Status;
    }>,
    grades: [] as Array<{
      studentId: string;
      classId: string;
      organizationId: string;
      percent: number;
      passing: boolean;
      posted: boolean;
      credits: number;
    }>,
    marks: [] as Array<{
      assessmentId: string;
      classId: string;
      type: string;
      max: number;
      marks: number | null;
      state: string;
    }>,
    ledger: [] as Array<{
      organizationId: string;
      type: 'payment' | 'refund' | 'charge';
      minor: number;
      date: string;
    }>,
    books: [] as Array<{ organizationId: string; id: string }>,
    copies: [] as Array<{ organizationId: string; state: string }>,
    loans: [] as Array<{ organizationId: string; issue: string; due: string; returned: string | null }>,
    fines: [] as Array<{ organizationId: string; minor: number }>,
    rooms: [] as Array<{ organizationId: string; hostelId: string; capacity: number }>,
    allocations: [] as Array<{ organizationId: string; hostelId: string; active: boolean }>,
  };
  world.faculty.push({ id: world.teacher.id, organizationId: schoolA.id, departmentId: null });

  for (const school of schools) {
    const [dept] = await db
      .insert(departments)
      .values({ organizationId: school.id, code: uniq('D'), name: `Sciences ${uniq()}` })
      .returning();
    world.departments.push({ id: dept.id, organizationId: school.id });
    const [prog] = await db
      .insert(programs)
      .values({ organizationId: school.id, departmentId: dept.id, code: uniq('P'), name: 'BSc' })
      .returning();
    world.programs.push({ id: prog.id, organizationId: school.id, departmentId: dept.id });
    const course = await makeCourse(app, school, { departmentId: dept.id });
    world.courses.push({ id: course.id, organizationId: school.id, departmentId: dept.id });
    const colleague = school.id === schoolA.id ? world.teacher : await makeFaculty(app, school);
    const other = await makeFaculty(app, school, { departmentId: dept.id });
    if (colleague.id !== world.teacher.id) {
      world.faculty.push({ id: colleague.id, organizationId: school.id, departmentId: null });
    }
    world.faculty.push({ id: other.id, organizationId: school.id, departmentId: dept.id });

    for (let ci = 0; ci < 2; ci++) {
      // One class name starts with "=": JSON keeps it, files carry it formula-safe.
      const name = ci === 1 && school.id === schoolA.id ? `=SUM(A1) ${uniq()}` : `Class ${uniq()}`;
      const cls = await makeClass(app, school, { courseId: course.id, name });
      const teacherId = ci === 0 ? colleague.id : other.id;
      await assignTeacher(app, teacherId, cls.id);
      world.classes.push({ id: cls.id, organizationId: school.id, name, teacherId });
      const n = r.int(2, 4);
      const roster: string[] = [];
      for (let i = 0; i < n; i++) {
        const s = await makeStudent(app, school, { departmentId: dept.id, programId: prog.id });
        world.students.push({
          id: s.id,
          organizationId: school.id,
          departmentId: dept.id,
          programId: prog.id,
        });
        const e = await enrollDirect(app, s.id, cls);
        world.enrollments.push({ id: e.id, studentId: s.id, classId: cls.id, organizationId: school.id });
        roster.push(s.id);
      }
      await rollCalls(app, r, world, cls, roster);
      await gradesAndExams(app, r, world, cls, course.id, roster);
      await money(app, r, world, school.id, roster);
    }
    await library(app, r, world, school.id, dept.id);
    await hostel(app, r, world, school.id);
  }
  return world;
}

export type ReportsWorld = Awaited<ReturnType<typeof makeReportsWorld>>;
type Cls = { id: string; organizationId: string };
type Rand = ReturnType<typeof prng>;
const STATUSES: Status[] = ['present', 'absent', 'late', 'excused'];

async function rollCalls(app: App, r: Rand, w: ReportsWorld, cls: Cls, roster: string[]) {
  const dates = new Set<string>();
  const k = r.int(1, 3);
  while (dates.size < k) dates.add(weekdayAgo(r.int(20, 200)));
  for (const date of dates) {
    const [se] = await app.deps.db
      .insert(attendanceSessions)
      .values({ organizationId: cls.organizationId, classId: cls.id, sessionDate: date })
      .returning();
    w.sessions.push({ classId: cls.id, date });
    const rows = roster.map((studentId) => ({
      sessionId: se.id,
      studentId,
      classId: cls.id,
      organizationId: cls.organizationId,
      attendanceDate: date,
      status: r.pick(STATUSES),
    }));
    await app.deps.db.insert(attendanceRecords).values(rows);
    for (const x of rows) w.records.push({ ...x, date, status: x.status });
  }
}

async function gradesAndExams(
  app: App,
  r: Rand,
  w: ReportsWorld,
  cls: Cls,
  courseId: string,
  roster: string[],
) {
  const db = app.deps.db;
  for (const studentId of roster) {
    if (!r.chance(0.8)) continue;
    const percent = r.int(2000, 10000) / 100;
    const passing = percent >= 40;
    const posted = r.chance(0.8);
    await db.insert(grades).values({
      organizationId: cls.organizationId,
      studentId,
      classId: cls.id,
      courseId,
      percent: String(percent),
      letter: passing ? 'P' : 'F',
      gradePoints: passing ? '3.00' : '0.00',
      isPassing: passing,
      creditsAttempted: '3',
      creditsEarned: passing ? '3' : '0',
      status: posted ? 'posted' : 'draft',
    });
    w.grades.push({
      studentId,
      classId: cls.id,
      organizationId: cls.organizationId,
      percent,
      passing,
      posted,
      credits: 3,
    });
  }
  for (const type of ['exam', 'quiz'] as const) {
    const max = r.pick([20, 50, 100]);
    const [a] = await db
      .insert(assessments)
      .values({
        organizationId: cls.organizationId,
        classId: cls.id,
        name: `${type} ${uniq()}`,
        assessmentType: type,
        maxMarks: String(max),
        assessmentDate: daysAgo(r.int(5, 60)),
      })
      .returning();
    for (const studentId of roster) {
      const state = r.pick(['scored', 'scored', 'scored', 'absent', 'missing']);
      const marks = state === 'scored' ? r.int(0, max * 4) / 4 : null;
      await db.insert(assessmentMarks).values({
        organizationId: cls.organizationId,
        assessmentId: a.id,
        studentId,
        classId: cls.id,
        state: state as 'scored',
        marks: marks === null ? null : String(marks),
      });
      w.marks.push({ assessmentId: a.id, classId: cls.id, type, max, marks, state });
    }
  }
}

async function money(app: App, r: Rand, w: ReportsWorld, orgId: string, roster: string[]) {
  const db = app.deps.db;
  for (const studentId of roster) {
    await db
      .insert(ledgerEntries)
      .values({ organizationId: orgId, studentId, entryType: 'charge', amountMinor: 90000, currency: 'USD' });
    w.ledger.push({ organizationId: orgId, type: 'charge', minor: 90000, date: daysAgo(0) });
    for (let i = r.int(0, 2); i > 0; i--) {
      const minor = r.int(100, 50000);
      const date = daysAgo(r.int(1, 300));
      const at = new Date(`${date}T12:00:00Z`);
      const [p] = await db
        .insert(feePayments)
        .values({
          organizationId: orgId,
          studentId,
          amountMinor: minor,
          currency: 'USD',
          method: 'cash',
          source: 'desk',
          receiptNo: uniq('RC'),
          receiptYear: 2026,
          paidAt: at,
        })
        .returning();
      await db.insert(ledgerEntries).values({
        organizationId: orgId,
        studentId,
        entryType: 'payment',
        amountMinor: -minor,
        currency: 'USD',
        paymentId: p.id,
        occurredAt: at,
      });
      w.ledger.push({ organizationId: orgId, type: 'payment', minor, date });
      if (r.chance(0.4)) {
        const back = r.int(1, minor);
        const rdate = daysAgo(r.int(0, 300));
        await db.insert(ledgerEntries).values({
          organizationId: orgId,
          studentId,
          entryType: 'refund',
          amountMinor: back,
          currency: 'USD',
          paymentId: p.id,
          occurredAt: new Date(`${rdate}T08:00:00Z`),
        });
        w.ledger.push({ organizationId: orgId, type: 'refund', minor: back, date: rdate });
      }
    }
  }
}

async function library(app: App, r: Rand, w: ReportsWorld, orgId: string, departmentId: string) {
  const db = app.deps.db;
  const patron = w.students.find((s) => s.organizationId === orgId)!.id;
  for (let b = r.int(1, 3); b > 0; b--) {
    const [book] = await db
      .insert(libraryBooks)
      .values({
        organizationId: orgId,
        title: `Book ${uniq()}`,
        author: 'A. Author',
        departmentId,
        category: 'science',
      })
      .returning();
    w.books.push({ organizationId: orgId, id: book.id });
    for (let c = r.int(1, 3); c > 0; c--) {
      const loaned = r.chance(0.5);
      const returned = loaned && r.chance(0.5);
      const state = loaned && !returned ? 'on_loan' : 'available';
      const [copy] = await db
        .insert(libraryCopies)
        .values({ organizationId: orgId, bookId: book.id, barcode: uniq('BC'), state })
        .returning();
      w.copies.push({ organizationId: orgId, state });
      if (!loaned) continue;
      const issue = daysAgo(r.int(1, 60));
      const due = new Date(Date.parse(issue) + 14 * DAY).toISOString().slice(0, 10);
      const ret = returned
        ? new Date(Date.parse(issue) + r.int(0, 1) * DAY).toISOString().slice(0, 10)
        : null;
      const [loan] = await db
        .insert(libraryLoans)
        .values({
          organizationId: orgId,
          copyId: copy.id,
          bookId: book.id,
          patronType: 'student',
          studentId: patron,
          issueDate: issue,
          dueDate: due,
          returnDate: ret,
        })
        .returning();
      w.loans.push({ organizationId: orgId, issue, due, returned: ret });
      if (returned && r.chance(0.5)) {
        const minor = r.int(50, 900);
        await db.insert(libraryFines).values({
          organizationId: orgId,
          loanId: loan.id,
          patronType: 'student',
          studentId: patron,
          daysLate: 3,
          amountMinor: minor,
          currency: 'USD',
        });
        w.fines.push({ organizationId: orgId, minor });
      }
    }
  }
}

async function hostel(app: App, r: Rand, w: ReportsWorld, orgId: string) {
  const db = app.deps.db;
  const [h] = await db
    .insert(hostels)
    .values({ organizationId: orgId, name: `Hall ${uniq()}`, hostelType: 'mixed' })
    .returning();
  const residents = w.students.filter((s) => s.organizationId === orgId);
  let next = 0;
  for (let i = 0; i < 2; i++) {
    const capacity = r.int(1, 3);
    const [room] = await db
      .insert(hostelRooms)
      .values({ organizationId: orgId, hostelId: h.id, roomNumber: uniq('R'), roomType: 'double', capacity })
      .returning();
    w.rooms.push({ organizationId: orgId, hostelId: h.id, capacity });
    for (let k = r.int(0, capacity); k > 0 && next < residents.length; k--) {
      const active = r.chance(0.7);
      await db.insert(hostelAllocations).values({
        organizationId: orgId,
        studentId: residents[next++].id,
        hostelId: h.id,
        roomId: room.id,
        status: active ? 'active' : 'vacated',
        startDate: daysAgo(90),
        endDate: active ? null : daysAgo(10),
      });
      w.allocations.push({ organizationId: orgId, hostelId: h.id, active });
    }
  }
}
