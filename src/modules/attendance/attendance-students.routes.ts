import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses, IdParams } from '../../kernel/schemas.js';
import { StudentAttendance, StudentAttendanceQuery } from './attendance-students.schemas.js';
import * as svc from './attendance-students.service.js';

const tags = ['attendance'];

/** A student's attendance: records with the per-class summary (seed 004's /students/{id}/attendance). */
export const attendanceStudentsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/students/me/attendance',
    {
      config: { permission: 'attendance:read' },
      schema: {
        tags,
        summary: 'My attendance (a student), or each linked child’s (a parent)',
        description:
          'Per-class tallies and the newest records (at most `limit`; older ones page through ' +
          '`GET /attendance?student_id=…`). One entry for a student, one per linked child for a parent.',
        querystring: StudentAttendanceQuery,
        response: { 200: DataOf(Type.Array(StudentAttendance)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.myAttendance(db, contextOf(request), request.query) }),
  );

  app.get(
    '/students/:id/attendance',
    {
      config: { permission: 'attendance:read' },
      schema: {
        tags,
        summary: "A student's attendance records with the per-class summary",
        description:
          'Managers see every class, a teacher the classes they teach, the student and their parents all. ' +
          'A student outside your scope answers 404.',
        params: IdParams,
        querystring: StudentAttendanceQuery,
        response: { 200: DataOf(StudentAttendance), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.studentAttendance(db, contextOf(request), request.params.id, request.query),
    }),
  );
};
