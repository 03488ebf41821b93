import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses, IdParams } from '../../kernel/schemas.js';
import { ClassNotification, NotifyClass } from './enrollments.schemas.js';
import { notifyClass } from './enrollments-notify.service.js';

/** A notification to a class: managers of its organization and its teachers. */
export const classNotifyRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;
  app.post(
    '/classes/:id/notifications',
    {
      config: { permission: 'classes:notify' },
      schema: {
        tags: ['classes', 'notifications'],
        summary:
          'Notify a class: its enrolled students and (unless include_guardians is false) their guardians',
        description:
          'Managers of the class and its teachers; any other class answers 404. Recipients get it live.',
        params: IdParams,
        body: NotifyClass,
        response: { 201: DataOf(ClassNotification), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await notifyClass(db, contextOf(request), request.params.id, request.body) };
    },
  );
};
