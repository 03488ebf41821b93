import { assignTeacher, enrollDirect, makeClass, makeFaculty, makeParent, makeStudent } from './academic.js';
import type { App } from './app.js';
import { makeUser, makeWorld } from './factories.js';

/**
 * A school with: admin, staff, a teacher who teaches `cls` (n enrolled students with roll numbers), another
 * teacher with `otherCls`, a student login (students[0]), a parent of students[0], and another tenant.
 */
export async function makeAttendanceWorld(app: App, n = 3) {
  const w = await makeWorld(app, 'school');
  const staff = await makeUser(app, w.org, 'staff');
  const teacher = await makeFaculty(app, w.org);
  const otherTeacher = await makeFaculty(app, w.org);
  const cls = await makeClass(app, w.org, { name: 'CS-101 Section A' });
  const otherCls = await makeClass(app, w.org, { name: 'CS-102 Section B' });
  await assignTeacher(app, teacher.id, cls.id);
  await assignTeacher(app, otherTeacher.id, otherCls.id);
  const students = [];
  for (let i = 0; i < n; i++) {
    const s = await makeStudent(
      app,
      w.org,
      { rollNo: `23/CS/${String(101 + i)}`, firstName: `Stu${i}` },
      { login: i === 0 },
    );
    await enrollDirect(app, s.id, cls);
    students.push(s);
  }
  const outsider = await makeStudent(app, w.org, { rollNo: '23/CS/999' }, { login: true });
  await enrollDirect(app, outsider.id, otherCls);
  const parent = await makeParent(app, w.org, [students[0].id]);
  return { ...w, staff, teacher, otherTeacher, cls, otherCls, students, outsider, parent };
}

/**
 * Runs `fn` while recording every SQL statement the app's Drizzle handle sends (both drivers go through the
 * session logger, including statements inside transactions). Returns the statements.
 */
export async function captureQueries(app: App, fn: () => Promise<unknown>): Promise<string[]> {
  const session = (app.deps.db as any).session;
  const seen: string[] = [];
  const logQuery = (q: string) => seen.push(q);
  const logger = { logQuery };
  // Queries prepared once (kernel/prepared.ts) hold the session's logger object itself: patched in place.
  const own = session.logger;
  const ownHad = Object.hasOwn(own, 'logQuery');
  const ownPrev = own.logQuery;
  const prevOpt = session.options?.logger;
  own.logQuery = logQuery;
  if (session.options) session.options.logger = logger;
  try {
    await fn();
  } finally {
    if (ownHad) own.logQuery = ownPrev;
    else delete own.logQuery;
    if (session.options) session.options.logger = prevOpt;
  }
  return seen;
}
