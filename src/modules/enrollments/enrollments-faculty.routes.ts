import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { PageQuery, pageWindow } from '../../kernel/pagination.js';
import { errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { Student } from '../students/index.js';
import * as svc from './enrollments-faculty.service.js';

/** A faculty member's teaching data that enrollments owns: the students of the classes they teach. */
export const enrollmentsFacultyRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/faculty/:id/students',
    {
      config: { permission: 'faculty:read' },
      schema: {
        tags: ['faculty'],
        summary: 'Students enrolled in the classes a faculty member teaches (the member or a manager)',
        params: IdParams,
        querystring: Type.Object(PageQuery.properties, { additionalProperties: false }),
        response: { 200: PageOf(Student), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      svc.facultyStudents(db, contextOf(request), request.params.id, pageWindow(request.query)),
  );
};
