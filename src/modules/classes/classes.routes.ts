import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import { crudRoutes } from '../../kernel/crud.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import * as S from './classes.schemas.js';
import * as svc from './classes.service.js';

export const classesRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;
  crudRoutes(app, svc.classSpec, svc.classesSvc);

  app.get(
    '/classes/:id/teachers',
    {
      config: { permission: 'classes:read' },
      schema: {
        tags: ['classes'],
        summary: 'List the teachers assigned to the class',
        params: IdParams,
        querystring: S.PageOnlyQuery,
        response: { 200: PageOf(S.ClassTeacher), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      svc.classTeachers(db, contextOf(request), request.params.id, pageWindow(request.query)),
  );

  app.get(
    '/faculty/:id/classes',
    {
      config: { permission: 'classes:read' },
      schema: {
        tags: ['faculty', 'classes'],
        summary: 'List the classes a faculty member teaches',
        params: IdParams,
        querystring: S.PageOnlyQuery,
        response: { 200: PageOf(S.Class), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      svc.facultyClasses(db, contextOf(request), request.params.id, pageWindow(request.query)),
  );

  const tags = ['teaching-assignments'];
  app.post(
    '/teaching-assignments',
    {
      config: { permission: 'classes:write' },
      schema: {
        tags,
        summary: 'Assign a faculty member to teach a class (optionally one subject in it)',
        body: S.CreateTeachingAssignment,
        response: { 201: DataOf(S.TeachingAssignment), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createAssignment(db, contextOf(request), request.body) };
    },
  );
  app.get(
    '/teaching-assignments',
    {
      config: { permission: 'classes:read' },
      schema: {
        tags,
        summary: 'List teaching assignments of the classes you may see',
        querystring: S.ListTeachingAssignmentsQuery,
        response: { 200: PageOf(S.TeachingAssignment), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listAssignments(db, contextOf(request), q, pageWindow(q));
    },
  );
  app.delete(
    '/teaching-assignments/:id',
    {
      config: { permission: 'classes:write' },
      schema: {
        tags,
        summary: 'Remove a teaching assignment',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await svc.deleteAssignment(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );
};
