/**
 * `npm run seed:demo`: fills the configured database (PGlite in DATA_DIR, or DATABASE_URL) with a
 * realistic demo: Northfield University (with a campus) and Riverside Unified School District (with
 * Riverside High School and Lakeview Elementary School), sign-in accounts for every role, and the
 * academic data (departments, programs, courses with prerequisites and fees, subjects, sessions,
 * classes with teachers, ~200 university students and ~60 per school, enrollments, guardians).
 *
 * Passwords are random and printed once at the end; nothing is stored in clear anywhere. Running it
 * again does nothing when the demo organizations already exist. Every table is filled with a few
 * multi-row INSERTs (set-based), inside one transaction.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../src/config.js';
import type { DbOrTx } from '../src/db/client.js';
import { openDatabase } from '../src/db/client.js';
import { DataDirLockedError } from '../src/db/data-dir-lock.js';
import { runMigrations } from '../src/db/migrate.js';
import {
  academicSessions,
  auditLogs,
  classes,
  coursePrerequisites,
  courses,
  departments,
  enrollments,
  faculty,
  guardians,
  organizations,
  programCourses,
  programEnrollments,
  programs,
  roleAssignments,
  staff,
  studentGuardians,
  students,
  subjects,
  teachingAssignments,
  users,
} from '../src/db/schema.js';
import { hashPassword } from '../src/kernel/auth/passwords.js';
import type { Role } from '../src/kernel/auth/permissions.js';
import { uuidv7 } from '../src/kernel/ids.js';
import { type ActivityCounts, seedActivity } from './seed-demo-activity.js';

// ---------------------------------------------------------------------------------------------------
// Deterministic names (a seeded PRNG), random passwords (crypto).

let seed = 20260901;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const intBetween = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const FIRST = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Amelia',
  'Oliver',
  'Sophia',
  'Elijah',
  'Isabella',
  'Mateo',
  'Mia',
  'Lucas',
  'Charlotte',
  'Levi',
  'Harper',
  'Ezra',
  'Evelyn',
  'Asher',
  'Aaliyah',
  'James',
  'Priya',
  'Arjun',
  'Mei',
  'Hiroshi',
  'Fatima',
  'Omar',
  'Zara',
  'Kwame',
  'Ama',
  'Diego',
  'Lucia',
  'Sofia',
  'Santiago',
  'Chloe',
  'Ethan',
  'Grace',
  'Henry',
  'Nora',
  'Samuel',
  'Layla',
  'Jackson',
  'Aria',
  'Benjamin',
  'Zoe',
  'Daniel',
  'Hannah',
  'Gabriel',
  'Leah',
  'Isaac',
  'Maya',
  'Wei',
  'Ananya',
  'Tomás',
  'Ines',
  'Kofi',
  'Yara',
  'Ivan',
  'Nadia',
  'Malik',
  'Rosa',
] as const;
const LAST = [
  'Johnson',
  'Williams',
  'Brown',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Patel',
  'Chen',
  'Okafor',
  'Mensah',
  'Kowalski',
  'Novak',
  'Haddad',
  'Tanaka',
  'Kim',
  'Singh',
  "O'Brien",
  'Murphy',
  'Rossi',
  'Schmidt',
  'Dubois',
  'Silva',
  'Costa',
  'Ahmed',
  'Ali',
  'Cohen',
] as const;

const password = () => randomBytes(12).toString('base64url');
const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');

// ---------------------------------------------------------------------------------------------------
// Collected rows: built in memory, inserted set-based at the end.

type OrgRow = typeof organizations.$inferInsert;
const rows = {
  organizations: [] as OrgRow[],
  users: [] as Array<typeof users.$inferInsert>,
  roles: [] as Array<typeof roleAssignments.$inferInsert>,
  departments: [] as Array<typeof departments.$inferInsert>,
  programs: [] as Array<typeof programs.$inferInsert>,
  courses: [] as Array<typeof courses.$inferInsert>,
  programCourses: [] as Array<typeof programCourses.$inferInsert>,
  prerequisites: [] as Array<typeof coursePrerequisites.$inferInsert>,
  subjects: [] as Array<typeof subjects.$inferInsert>,
  sessions: [] as Array<typeof academicSessions.$inferInsert>,
  faculty: [] as Array<typeof faculty.$inferInsert>,
  staff: [] as Array<typeof staff.$inferInsert>,
  classes: [] as Array<typeof classes.$inferInsert>,
  teaching: [] as Array<typeof teachingAssignments.$inferInsert>,
  students: [] as Array<typeof students.$inferInsert>,
  guardians: [] as Array<typeof guardians.$inferInsert>,
  studentGuardians: [] as Array<typeof studentGuardians.$inferInsert>,
  enrollments: [] as Array<typeof enrollments.$inferInsert>,
  programEnrollments: [] as Array<typeof programEnrollments.$inferInsert>,
};
const credentials: Array<{ role: string; org: string; name: string; username: string; password: string }> =
  [];
const pendingHashes: Array<{ userIndex: number; password: string }> = [];
const usedUsernames = new Set<string>();

function org(parent: OrgRow | null, kind: OrgRow['kind'], name: string, code: string): OrgRow {
  const id = uuidv7();
  const row: OrgRow = {
    id,
    parentId: parent?.id ?? null,
    kind,
    name,
    code,
    path: `${parent?.path ?? '/'}${id}/`,
    currency: 'USD',
    timezone: 'America/Chicago',
  };
  rows.organizations.push(row);
  return row;
}

/** A sign-in account with one or more role grants; its random password is printed at the end. */
function account(
  home: OrgRow,
  role: Role,
  first: string,
  last: string,
  domain: string,
  extraRoles: Array<{ role: Role; org: OrgRow }> = [],
) {
  let username = slug(`${first}.${last}`);
  for (let n = 2; usedUsernames.has(username); n++) username = `${slug(`${first}.${last}`)}${n}`;
  usedUsernames.add(username);
  const id = uuidv7();
  const pw = password();
  rows.users.push({
    id,
    username,
    email: `${username}@${domain}`,
    fullName: `${first} ${last}`,
    organizationId: home.id!,
    emailVerifiedAt: new Date(),
    passwordChangedAt: new Date(),
  });
  pendingHashes.push({ userIndex: rows.users.length - 1, password: pw });
  for (const g of [{ role, org: home }, ...extraRoles]) {
    rows.roles.push({ userId: id, role: g.role, organizationId: g.org.id! });
  }
  credentials.push({ role, org: home.name, name: `${first} ${last}`, username, password: pw });
  return { id, username, email: `${username}@${domain}`, first, last };
}

let employeeSeq = 0;
function teacher(
  home: OrgRow,
  first: string,
  last: string,
  domain: string,
  opts: Partial<typeof faculty.$inferInsert> = {},
) {
  const a = account(home, 'faculty', first, last, domain);
  const id = uuidv7();
  rows.faculty.push({
    id,
    organizationId: home.id!,
    userId: a.id,
    employeeId: `E${String(++employeeSeq).padStart(4, '0')}`,
    firstName: first,
    lastName: last,
    email: a.email,
    joiningDate: `${intBetween(2008, 2024)}-08-15`,
    ...opts,
  });
  return { ...a, facultyId: id };
}

function staffMember(
  home: OrgRow,
  role: Role,
  first: string,
  last: string,
  domain: string,
  jobTitle: string,
) {
  const a = account(home, role, first, last, domain);
  rows.staff.push({
    organizationId: home.id!,
    userId: a.id,
    employeeId: `E${String(++employeeSeq).padStart(4, '0')}`,
    firstName: first,
    lastName: last,
    email: a.email,
    jobTitle,
  });
  return a;
}

let studentSeq = 0;
function student(
  home: OrgRow,
  prefix: string,
  domain: string,
  extra: Partial<typeof students.$inferInsert> = {},
) {
  const first = pick(FIRST);
  const last = pick(LAST);
  const number = `${prefix}${String(++studentSeq).padStart(5, '0')}`;
  const row: typeof students.$inferInsert = {
    id: uuidv7(),
    organizationId: home.id!,
    studentNumber: number,
    firstName: first,
    lastName: last,
    email: `${slug(`${first}.${last}`)}.${number.toLowerCase()}@${domain}`,
    admissionDate: '2026-08-24',
    studentStatus: 'active',
    ...extra,
  };
  rows.students.push(row);
  return row;
}

function session(
  o: OrgRow,
  type: typeof academicSessions.$inferInsert.type,
  name: string,
  start: string,
  end: string,
  parent?: string,
  current = false,
) {
  const id = uuidv7();
  rows.sessions.push({
    id,
    organizationId: o.id!,
    parentId: parent ?? null,
    type,
    name,
    startDate: start,
    endDate: end,
    isCurrent: current,
  });
  return id;
}

function enroll(studentRow: typeof students.$inferInsert, cls: typeof classes.$inferInsert) {
  rows.enrollments.push({ organizationId: cls.organizationId, studentId: studentRow.id!, classId: cls.id! });
}

// ---------------------------------------------------------------------------------------------------

function buildUniversity(parent: OrgRow | null) {
  const domain = 'northfield.example.edu';
  const uni = org(parent, 'university', 'Northfield University', 'NU');
  const campus = org(uni, 'campus', 'Northfield University – Lakeshore Campus', 'NU-LS');

  account(uni, 'admin', 'Eleanor', 'Whitfield', domain);
  staffMember(uni, 'staff', 'Marcus', 'Reid', domain, 'Registrar');
  staffMember(campus, 'principal', 'Catherine', 'Alvarez', domain, 'Dean of the Lakeshore Campus');

  const dept = (code: string, name: string) => {
    const id = uuidv7();
    rows.departments.push({ id, organizationId: uni.id!, code, name });
    return id;
  };
  const cs = dept('CS', 'Computer Science');
  const math = dept('MATH', 'Mathematics');
  const bus = dept('BUS', 'Business Administration');
  const eng = dept('ENG', 'English');

  const profs = {
    cs: [
      teacher(uni, 'Alan', 'Okafor', domain, {
        departmentId: cs,
        designation: 'Professor',
        isHod: true,
        specialization: 'Distributed systems',
      }),
      teacher(campus, 'Grace', 'Tanaka', domain, {
        departmentId: cs,
        designation: 'Associate Professor',
        specialization: 'Algorithms',
      }),
    ],
    math: [
      teacher(uni, 'Sofia', 'Kowalski', domain, {
        departmentId: math,
        designation: 'Professor',
        isHod: true,
      }),
    ],
    bus: [
      teacher(uni, 'Daniel', 'Mensah', domain, {
        departmentId: bus,
        designation: 'Senior Lecturer',
        isHod: true,
      }),
    ],
    eng: [teacher(campus, 'Ruth', 'Haddad', domain, { departmentId: eng, designation: 'Lecturer' })],
  };
  rows.departments.find((d) => d.id === cs)!.headFacultyId = profs.cs[0].facultyId;

  const course = (
    code: string,
    name: string,
    departmentId: string,
    credits: string,
    fee: number,
    level: string,
  ) => {
    const id = uuidv7();
    rows.courses.push({
      id,
      organizationId: uni.id!,
      departmentId,
      code,
      name,
      credits,
      feeMinor: fee * 100,
      currency: 'USD',
      courseType: 'core',
      level,
    });
    return id;
  };
  const c = {
    cs101: course('CS101', 'Introduction to Programming', cs, '4', 450, 'undergraduate'),
    cs201: course('CS201', 'Data Structures', cs, '4', 450, 'undergraduate'),
    cs301: course('CS301', 'Algorithms', cs, '4', 500, 'undergraduate'),
    math101: course('MATH101', 'Calculus I', math, '4', 400, 'undergraduate'),
    math201: course('MATH201', 'Linear Algebra', math, '3', 400, 'undergraduate'),
    bus101: course('BUS101', 'Principles of Management', bus, '3', 350, 'undergraduate'),
    bus210: course('BUS210', 'Financial Accounting', bus, '3', 375, 'undergraduate'),
    eng101: course('ENG101', 'Academic Writing', eng, '3', 300, 'undergraduate'),
  };
  rows.prerequisites.push(
    { courseId: c.cs201, prerequisiteCourseId: c.cs101 },
    { courseId: c.cs301, prerequisiteCourseId: c.cs201 },
    { courseId: c.cs301, prerequisiteCourseId: c.math201 },
    { courseId: c.math201, prerequisiteCourseId: c.math101 },
    { courseId: c.bus210, prerequisiteCourseId: c.bus101 },
  );

  const program = (code: string, name: string, departmentId: string, courseIds: string[]) => {
    const id = uuidv7();
    rows.programs.push({
      id,
      organizationId: uni.id!,
      departmentId,
      code,
      name,
      degreeType: 'bachelor',
      duration: 8,
      totalCredits: 120,
    });
    for (const [i, courseId] of courseIds.entries()) {
      rows.programCourses.push({ programId: id, courseId, semester: i < 3 ? 1 : 3 });
    }
    return id;
  };
  const bscCs = program('BSC-CS', 'BSc Computer Science', cs, [
    c.cs101,
    c.math101,
    c.eng101,
    c.cs201,
    c.math201,
    c.cs301,
  ]);
  const bscMath = program('BSC-MATH', 'BSc Mathematics', math, [c.math101, c.cs101, c.eng101, c.math201]);
  const bba = program('BBA', 'Bachelor of Business Administration', bus, [
    c.bus101,
    c.eng101,
    c.math101,
    c.bus210,
  ]);

  const year = session(
    uni,
    'school_year',
    'Academic Year 2026–2027',
    '2026-08-24',
    '2027-05-14',
    undefined,
    true,
  );
  const fall = session(uni, 'semester', 'Fall 2026', '2026-08-24', '2026-12-18', year, true);
  session(uni, 'semester', 'Spring 2027', '2027-01-19', '2027-05-14', year);

  const section = (courseId: string, name: string, teacherIds: string[], room: string, o: OrgRow = uni) => {
    const id = uuidv7();
    rows.classes.push({
      id,
      organizationId: o.id!,
      courseId,
      name,
      section: 'A',
      academicSessionId: fall,
      capacity: 120,
      room,
    });
    for (const f of teacherIds) rows.teaching.push({ facultyId: f, classId: id });
    return rows.classes[rows.classes.length - 1];
  };
  const k = {
    cs101: section(
      c.cs101,
      'CS101-A Introduction to Programming (Fall 2026)',
      [profs.cs[1].facultyId],
      'Turing Hall 101',
      campus,
    ),
    math101: section(
      c.math101,
      'MATH101-A Calculus I (Fall 2026)',
      [profs.math[0].facultyId],
      'Noether Hall 210',
    ),
    eng101: section(
      c.eng101,
      'ENG101-A Academic Writing (Fall 2026)',
      [profs.eng[0].facultyId],
      'Lakeshore 12',
      campus,
    ),
    bus101: section(
      c.bus101,
      'BUS101-A Principles of Management (Fall 2026)',
      [profs.bus[0].facultyId],
      'Commerce 105',
    ),
    cs201: section(
      c.cs201,
      'CS201-A Data Structures (Fall 2026)',
      [profs.cs[0].facultyId],
      'Turing Hall 204',
    ),
    math201: section(
      c.math201,
      'MATH201-A Linear Algebra (Fall 2026)',
      [profs.math[0].facultyId],
      'Noether Hall 118',
    ),
  };

  // ~200 students: first-years in their program's first-semester classes, second-years further on.
  const plan: Array<
    [string, number, Array<typeof classes.$inferInsert>, Array<typeof classes.$inferInsert>]
  > = [
    [bscCs, 90, [k.cs101, k.math101, k.eng101], [k.cs201, k.math201]],
    [bscMath, 50, [k.math101, k.cs101, k.eng101], [k.math201]],
    [bba, 60, [k.bus101, k.eng101, k.math101], [k.bus101]],
  ];
  const deptOf = new Map([
    [bscCs, cs],
    [bscMath, math],
    [bba, bus],
  ]);
  const uniStudents: Array<typeof students.$inferInsert> = [];
  for (const [programId, count, firstYear, secondYear] of plan) {
    for (let i = 0; i < count; i++) {
      const senior = i % 3 === 0;
      const s = student(rand() < 0.3 ? campus : uni, 'NU', domain, {
        programId,
        departmentId: deptOf.get(programId),
        batchYear: senior ? 2025 : 2026,
        semester: senior ? 3 : 1,
        category: pick(['domestic', 'domestic', 'domestic', 'international']),
        dateOfBirth: `${senior ? 2006 : 2007}-${String(intBetween(1, 12)).padStart(2, '0')}-${String(intBetween(1, 28)).padStart(2, '0')}`,
        gender: pick(['female', 'male', 'female', 'male', 'non-binary']),
      });
      uniStudents.push(s);
      rows.programEnrollments.push({
        organizationId: uni.id!,
        studentId: s.id!,
        programId,
        batchYear: s.batchYear,
        admissionDate: senior ? '2025-08-25' : '2026-08-24',
      });
      for (const cls of senior ? secondYear : firstYear) enroll(s, cls);
    }
  }
  // Two students can sign in; one has a parent account linked.
  for (const s of uniStudents.slice(0, 2)) {
    const a = account(uni, 'student', s.firstName, s.lastName, domain);
    s.userId = a.id;
    s.email = a.email;
  }
  const parentOf = uniStudents[0];
  const p = account(uni, 'parent', pick(FIRST), parentOf.lastName, 'mail.example.com');
  const gId = uuidv7();
  rows.guardians.push({
    id: gId,
    organizationId: uni.id!,
    userId: p.id,
    firstName: p.first,
    lastName: p.last,
    email: p.email,
    phone: '+1-555-0100',
  });
  rows.studentGuardians.push({
    studentId: parentOf.id!,
    guardianId: gId,
    relationship: 'mother',
    isPrimary: true,
  });
  return uni;
}

function buildDistrict(parent: OrgRow | null) {
  const domain = 'riverside.example.org';
  const district = org(parent, 'district', 'Riverside Unified School District', 'RUSD');
  const high = org(district, 'school', 'Riverside High School', 'RHS');
  const lakeview = org(district, 'school', 'Lakeview Elementary School', 'LES');

  account(district, 'admin', 'Howard', 'Bennett', domain);
  staffMember(district, 'staff', 'Denise', 'Carter', domain, 'District Enrollment Officer');
  staffMember(high, 'principal', 'Patricia', 'Nguyen', domain, 'Principal');
  staffMember(lakeview, 'principal', 'Robert', 'Delgado', domain, 'Principal');
  staffMember(high, 'staff', 'Angela', 'Brooks', domain, 'Front Office Secretary');

  const year = (o: OrgRow) => {
    const y = session(o, 'school_year', 'School Year 2026–2027', '2026-08-17', '2027-06-04', undefined, true);
    const t1 = session(o, 'term', 'Fall Term 2026', '2026-08-17', '2026-12-18', y, true);
    session(o, 'term', 'Spring Term 2027', '2027-01-05', '2027-06-04', y);
    return t1;
  };

  const subject = (o: OrgRow, code: string, name: string) => {
    const id = uuidv7();
    rows.subjects.push({ id, organizationId: o.id!, code, name });
    return id;
  };

  // Riverside High School: grades 9–12, subject classes per grade.
  {
    const term = year(high);
    const s = {
      math: subject(high, 'MATH', 'Mathematics'),
      ela: subject(high, 'ELA', 'English Language Arts'),
      sci: subject(high, 'SCI', 'Science'),
      hist: subject(high, 'HIST', 'Social Studies'),
    };
    const t = [
      teacher(high, 'Michael', 'Osei', domain, { designation: 'Mathematics Teacher' }),
      teacher(high, 'Laura', 'Fischer', domain, { designation: 'English Teacher' }),
      teacher(high, 'Kevin', 'Park', domain, { designation: 'Science Teacher' }),
      teacher(high, 'Monica', 'Reyes', domain, { designation: 'History Teacher' }),
    ];
    const offerings: Array<[string, string, string, number]> = [
      ['9', 'Algebra I', s.math, 0],
      ['9', 'English 9', s.ela, 1],
      ['10', 'Geometry', s.math, 0],
      ['10', 'Biology', s.sci, 2],
      ['11', 'Chemistry', s.sci, 2],
      ['11', 'U.S. History', s.hist, 3],
      ['12', 'Pre-Calculus', s.math, 0],
      ['12', 'English 12', s.ela, 1],
    ];
    const byGrade = new Map<string, Array<typeof classes.$inferInsert>>();
    for (const [grade, name, subjectId, ti] of offerings) {
      const id = uuidv7();
      const cls = {
        id,
        organizationId: high.id!,
        name: `${name} – Grade ${grade}`,
        subjectId,
        gradeLevel: grade,
        section: '1',
        academicSessionId: term,
        capacity: 30,
        room: `Room ${intBetween(101, 240)}`,
      };
      rows.classes.push(cls);
      rows.teaching.push({ facultyId: t[ti].facultyId, classId: id, subjectId });
      byGrade.set(grade, [...(byGrade.get(grade) ?? []), cls]);
    }
    const pupils = Array.from({ length: 60 }, (_, i) => {
      const grade = String(9 + (i % 4));
      const st = student(high, 'RHS', domain, {
        gradeLevel: grade,
        rollNo: String(i + 1),
        dateOfBirth: `${2017 - Number(grade)}-${String(intBetween(1, 12)).padStart(2, '0')}-${String(intBetween(1, 28)).padStart(2, '0')}`,
      });
      for (const cls of byGrade.get(grade) ?? []) enroll(st, cls);
      return st;
    });
    const a = account(high, 'student', pupils[0].firstName, pupils[0].lastName, domain);
    pupils[0].userId = a.id;
    pupils[0].email = a.email;
    families(high, pupils, domain);
  }

  // Lakeview Elementary: grades K–5, one homeroom class per grade.
  {
    const term = year(lakeview);
    const homeroom = subject(lakeview, 'HR', 'Homeroom (all subjects)');
    subject(lakeview, 'READ', 'Reading');
    subject(lakeview, 'MATH', 'Mathematics');
    const names: Array<[string, string]> = [
      ['Susan', 'Whitaker'],
      ['Brian', 'Kim'],
      ['Emily', 'Schwartz'],
      ['Carlos', 'Mendoza'],
      ['Hannah', 'Lindqvist'],
      ['Joseph', 'Abernathy'],
    ];
    const grades = ['K', '1', '2', '3', '4', '5'];
    const classOf = new Map<string, typeof classes.$inferInsert>();
    grades.forEach((g, i) => {
      const tch = teacher(lakeview, names[i][0], names[i][1], domain, {
        designation: g === 'K' ? 'Kindergarten Teacher' : `Grade ${g} Teacher`,
      });
      const id = uuidv7();
      const cls = {
        id,
        organizationId: lakeview.id!,
        name: g === 'K' ? 'Kindergarten – Room 1' : `Grade ${g} – Room ${i + 1}`,
        subjectId: homeroom,
        gradeLevel: g,
        section: '1',
        academicSessionId: term,
        capacity: 24,
        room: `Room ${i + 1}`,
      };
      rows.classes.push(cls);
      rows.teaching.push({ facultyId: tch.facultyId, classId: id, role: 'homeroom' });
      classOf.set(g, cls);
    });
    const pupils = Array.from({ length: 60 }, (_, i) => {
      const g = grades[i % grades.length];
      const st = student(lakeview, 'LES', domain, { gradeLevel: g, rollNo: String(i + 1) });
      enroll(st, classOf.get(g)!);
      return st;
    });
    families(lakeview, pupils, domain);
  }
  return district;
}

/** Guardians for two thirds of the pupils (siblings share one); the first family gets a parent login. */
function families(school: OrgRow, pupils: Array<typeof students.$inferInsert>, domain: string) {
  for (let i = 0; i < pupils.length; i++) {
    if (i % 3 === 2) continue;
    const kid = pupils[i];
    let userId: string | null = null;
    let email = `${slug(`${kid.lastName}.family`)}${i}@mail.example.com`;
    const first = pick(FIRST);
    if (i === 0) {
      const a = account(school, 'parent', first, kid.lastName, 'mail.example.com');
      userId = a.id;
      email = a.email;
    }
    const id = uuidv7();
    rows.guardians.push({
      id,
      organizationId: school.id!,
      userId,
      firstName: first,
      lastName: kid.lastName,
      email,
      phone: `+1-555-01${String(i).padStart(2, '0')}`,
      occupation: pick([
        'Nurse',
        'Engineer',
        'Teacher',
        'Electrician',
        'Accountant',
        'Chef',
        'Farmer',
        'Pharmacist',
      ]),
    });
    rows.studentGuardians.push({
      studentId: kid.id!,
      guardianId: id,
      relationship: pick(['mother', 'father', 'guardian']),
      isPrimary: true,
    });
    // Every tenth family has a sibling in the same school.
    if (i % 10 === 0 && pupils[i + 1]) {
      rows.studentGuardians.push({
        studentId: pupils[i + 1].id!,
        guardianId: id,
        relationship: 'guardian',
        isPrimary: false,
      });
    }
  }
  void domain;
}

/** One multi-row INSERT per chunk (PostgreSQL allows at most 65535 bound parameters per statement). */
async function insertAll(tx: DbOrTx, table: any, values: any[], chunk = 500) {
  for (let i = 0; i < values.length; i += chunk) await tx.insert(table).values(values.slice(i, i + chunk));
}

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const started = Date.now();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: 2,
  });
  try {
    await runMigrations(database);
    const db = database.db;
    const existing = await db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.name, 'Northfield University'))
      .limit(1);
    if (existing.length) {
      console.log('Demo data is already present (Northfield University exists); nothing to do.');
      return;
    }
    // Hang the demo under the bootstrap root (the oldest root office with an admin) when there is one.
    const [root] = await db
      .select({ org: organizations })
      .from(organizations)
      .innerJoin(
        roleAssignments,
        and(eq(roleAssignments.organizationId, organizations.id), eq(roleAssignments.role, 'admin')),
      )
      .where(and(isNull(organizations.parentId), eq(organizations.kind, 'office')))
      .orderBy(asc(organizations.createdAt))
      .limit(1);
    const parent = (root?.org as OrgRow | undefined) ?? null;

    buildUniversity(parent);
    buildDistrict(parent);
    // Sized classes: capacity never below the seeded roster.
    const roster = new Map<string, number>();
    for (const e of rows.enrollments) roster.set(e.classId, (roster.get(e.classId) ?? 0) + 1);
    for (const cls of rows.classes)
      cls.capacity = Math.max(cls.capacity ?? 0, (roster.get(cls.id!) ?? 0) + 5);

    // argon2id is deliberately slow; hash the handful of sign-in accounts concurrently.
    const hashes = await Promise.all(pendingHashes.map((p) => hashPassword(p.password)));
    pendingHashes.forEach((p, i) => {
      rows.users[p.userIndex].passwordHash = hashes[i];
    });

    let activity: ActivityCounts | null = null;
    await db.transaction(async (tx) => {
      await insertAll(tx, organizations, rows.organizations);
      await insertAll(tx, users, rows.users);
      await insertAll(tx, roleAssignments, rows.roles);
      await insertAll(
        tx,
        departments,
        rows.departments.map((d) => ({ ...d, headFacultyId: null })),
      );
      await insertAll(tx, faculty, rows.faculty);
      await insertAll(tx, staff, rows.staff);
      for (const d of rows.departments.filter((x) => x.headFacultyId)) {
        await tx.update(departments).set({ headFacultyId: d.headFacultyId }).where(eq(departments.id, d.id!));
      }
      await insertAll(tx, programs, rows.programs);
      await insertAll(tx, courses, rows.courses);
      await insertAll(tx, programCourses, rows.programCourses);
      await insertAll(tx, coursePrerequisites, rows.prerequisites);
      await insertAll(tx, subjects, rows.subjects);
      await insertAll(
        tx,
        academicSessions,
        rows.sessions.filter((s) => !s.parentId),
      );
      await insertAll(
        tx,
        academicSessions,
        rows.sessions.filter((s) => s.parentId),
      );
      await insertAll(tx, classes, rows.classes);
      await insertAll(tx, teachingAssignments, rows.teaching);
      await insertAll(tx, students, rows.students);
      await insertAll(tx, guardians, rows.guardians);
      await insertAll(tx, studentGuardians, rows.studentGuardians);
      await insertAll(tx, programEnrollments, rows.programEnrollments);
      await insertAll(tx, enrollments, rows.enrollments);
      activity = await seedActivity(tx, new Date().toISOString().slice(0, 10));
      await tx.insert(auditLogs).values(
        rows.organizations
          .filter((o) => o.kind === 'university' || o.kind === 'district')
          .map((o) => ({
            action: 'seed_demo',
            entityType: 'organization',
            entityId: o.id!,
            organizationId: o.id!,
            after: { name: o.name, users: credentials.length, students: rows.students.length },
          })),
      );
    });

    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `\nDemo data created in ${secs}s on ${database.kind}${parent ? ` under "${parent.name}"` : ' as new root organizations'}:\n` +
        `  organizations ${rows.organizations.length}, sign-in accounts ${credentials.length}, students ${rows.students.length}, ` +
        `classes ${rows.classes.length}, enrollments ${rows.enrollments.length}, guardians ${rows.guardians.length}\n` +
        `  course fee charges ${activity!.charges}, payments ${activity!.payments}, ` +
        `attendance roll calls ${activity!.attendanceSessions} (${activity!.attendanceRecords} records, past 3 weeks)\n`,
    );
    console.log(
      'Sign-in accounts (passwords are random and shown only now; store them or reset them later):\n',
    );
    const w = (s: string, n: number) => s.padEnd(n);
    console.log(`${w('ROLE', 10)}${w('ORGANIZATION', 44)}${w('NAME', 22)}${w('USERNAME', 24)}PASSWORD`);
    for (const c of credentials) {
      console.log(`${w(c.role, 10)}${w(c.org, 44)}${w(c.name, 22)}${w(c.username, 24)}${c.password}`);
    }
    console.log(
      '\nSign in with POST /api/v1/auth/login {"username": "...", "password": "..."}; docs at /docs.',
    );
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  if (err instanceof DataDirLockedError) {
    console.error(`seed:demo cannot run: ${err.message}`);
    process.exit(3);
  }
  console.error(err);
  process.exit(1);
});
