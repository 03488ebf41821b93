import type { TSchema } from 'typebox';
import { Type } from 'typebox';
import { contextOf, type RequestContext } from '../../kernel/auth/actor.js';
import { crudRoutes } from '../../kernel/crud.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { type PageWindow, type pageMeta, pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import * as S from './academics.schemas.js';
import * as svc from './academics.service.js';
import * as links from './academics-links.service.js';

const Prerequisite = Type.Object({
  course_id: Type.String({ format: 'uuid' }),
  prerequisite_course_id: Type.String({ format: 'uuid' }),
  created_at: Type.String({ format: 'date-time' }),
});

export const academicsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;
  crudRoutes(app, svc.departmentSpec, svc.departmentsSvc);
  crudRoutes(app, svc.programSpec, svc.programsSvc);
  crudRoutes(app, svc.courseSpec, svc.coursesSvc);
  crudRoutes(app, svc.subjectSpec, svc.subjectsSvc);
  crudRoutes(app, svc.academicSessionSpec, svc.academicSessionsSvc);

  /** A paged sub-resource list of one catalog record. */
  const sub = (
    path: string,
    tag: string,
    summary: string,
    item: TSchema,
    fn: (
      ctx: RequestContext,
      id: string,
      w: PageWindow,
    ) => Promise<{ data: unknown[]; meta: ReturnType<typeof pageMeta> }>,
  ) =>
    app.get(
      path,
      {
        config: { permission: 'academics:read' },
        schema: {
          tags: [tag],
          summary,
          params: IdParams,
          querystring: S.SubPageQuery,
          response: { 200: PageOf(item), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => fn(contextOf(request), request.params.id, pageWindow(request.query)),
    );
  sub('/departments/:id/courses', 'departments', "List the department's courses", S.Course, (c, id, w) =>
    links.departmentCourses(db, c, id, w),
  );
  sub(
    '/programs/:id/courses',
    'programs',
    "List the program's courses (by semester)",
    S.ProgramCourse,
    (c, id, w) => links.listProgramCourses(db, c, id, w),
  );

  app.post(
    '/programs/:id/courses',
    {
      config: { permission: 'academics:write' },
      schema: {
        tags: ['programs'],
        summary: 'Add a course to the program (optionally in a semester)',
        params: IdParams,
        body: S.AttachProgramCourse,
        response: { 201: DataOf(S.ProgramCourse), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return {
        data: await links.attachProgramCourse(db, contextOf(request), request.params.id, request.body),
      };
    },
  );
  app.delete(
    '/programs/:id/courses/:course_id',
    {
      config: { permission: 'academics:write' },
      schema: {
        tags: ['programs'],
        summary: 'Remove a course from the program',
        params: S.ProgramCourseParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const p = request.params;
      await links.detachProgramCourse(db, contextOf(request), p.id, p.course_id);
      reply.status(204).send(null);
    },
  );

  app.get(
    '/courses/:id/prerequisites',
    {
      config: { permission: 'academics:read' },
      schema: {
        tags: ['courses'],
        summary: 'List the courses that must be passed before this one',
        params: IdParams,
        response: { 200: DataOf(Type.Array(S.Course)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await links.listPrerequisites(db, contextOf(request), request.params.id),
    }),
  );
  app.post(
    '/courses/:id/prerequisites',
    {
      config: { permission: 'academics:write' },
      schema: {
        tags: ['courses'],
        summary: 'Add a prerequisite (422 prerequisite_cycle when it would loop)',
        params: IdParams,
        body: S.PrerequisiteBody,
        response: { 201: DataOf(Prerequisite), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return {
        data: await links.addPrerequisite(
          db,
          contextOf(request),
          request.params.id,
          request.body.prerequisite_course_id,
        ),
      };
    },
  );
  app.delete(
    '/courses/:id/prerequisites',
    {
      config: { permission: 'academics:write' },
      schema: {
        tags: ['courses'],
        summary: 'Remove a prerequisite named in the body',
        params: IdParams,
        body: S.PrerequisiteBody,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await links.removePrerequisite(
        db,
        contextOf(request),
        request.params.id,
        request.body.prerequisite_course_id,
      );
      reply.status(204).send(null);
    },
  );
  app.delete(
    '/courses/:id/prerequisites/:prerequisite_course_id',
    {
      config: { permission: 'academics:write' },
      schema: {
        tags: ['courses'],
        summary: 'Remove a prerequisite',
        params: S.PrerequisiteParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const p = request.params;
      await links.removePrerequisite(db, contextOf(request), p.id, p.prerequisite_course_id);
      reply.status(204).send(null);
    },
  );
};
