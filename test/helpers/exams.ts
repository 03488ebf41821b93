import { type App, call } from './app.js';
import { makeGradesWorld } from './grades.js';

const V = '/api/v1';

/** The id of a created record, or an error naming the failed setup call. */
export const idOf = (r: { statusCode: number; body: string; data: any }): string => {
  if (r.statusCode >= 300) throw new Error(`setup: ${r.statusCode} ${r.body}`);
  return r.data.data.id;
};

export async function makeVenue(app: App, token: string, body: Record<string, unknown>) {
  return idOf(await call(app, 'POST', `${V}/exam-venues`, { token, body: { capacity: 100, ...body } }));
}

/** A scheduled (visible) exam schedule for 2026-12-01..2026-12-20 unless overridden. */
export async function makeSchedule(app: App, token: string, body: Record<string, unknown> = {}) {
  return idOf(
    await call(app, 'POST', `${V}/exams`, {
      token,
      body: {
        name: 'Fall 2026 finals',
        exam_type: 'final',
        academic_year: '2026-2027',
        semester: 1,
        start_date: '2026-12-01',
        end_date: '2026-12-20',
        status: 'scheduled',
        ...body,
      },
    }),
  );
}

/** POST /exam-timetable with defaults (2026-12-08 09:00, 120 minutes, 100 marks); returns the response. */
export function postEntry(app: App, token: string, body: Record<string, unknown>) {
  return call(app, 'POST', `${V}/exam-timetable`, {
    token,
    body: { date: '2026-12-08', start_time: '09:00', duration: 120, max_marks: 100, ...body },
  });
}

/**
 * The grades world (a university with admin, staff, a teacher of `cls` with n enrolled students, a parent
 * of students[0], another organization) plus a 100-seat "Main Hall" and a scheduled exam schedule in
 * each organization.
 */
export async function makeExamsWorld(app: App, n = 3) {
  const w = await makeGradesWorld(app, n);
  const A = w.admin.token;
  const hall = await makeVenue(app, A, { organization_id: w.org.id, name: 'Main Hall' });
  const schedule = await makeSchedule(app, A, { organization_id: w.org.id });
  const oHall = await makeVenue(app, w.otherAdmin.token, {
    organization_id: w.otherOrg.id,
    name: 'Main Hall',
  });
  const oSchedule = await makeSchedule(app, w.otherAdmin.token, { organization_id: w.otherOrg.id });
  return { ...w, hall, schedule, oHall, oSchedule };
}
