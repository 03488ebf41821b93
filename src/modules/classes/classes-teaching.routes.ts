import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses, IdParams } from '../../kernel/schemas.js';
import { FacultyCourse } from './classes.schemas.js';
import * as svc from './classes.service.js';

/** A faculty member's teaching data that classes owns: the courses of the classes they teach. */
export const classesTeachingRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/faculty/:id/courses',
    {
      config: { permission: 'faculty:read' },
      schema: {
        tags: ['faculty'],
        summary: 'Courses of the classes a faculty member teaches (the member or a manager)',
        params: IdParams,
        response: { 200: DataOf(Type.Array(FacultyCourse)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.facultyCourses(db, contextOf(request), request.params.id) }),
  );
};
