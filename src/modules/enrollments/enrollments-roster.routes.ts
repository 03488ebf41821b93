import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import * as S from './enrollments.schemas.js';
import * as roster from './enrollments-roster.service.js';

const tags = ['classes'];

/** Class rosters: managers of the class's organization and the teachers of the class. */
export const rosterRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;
  app.get(
    '/classes/:id/students',
    {
      config: { permission: 'rosters:read' },
      schema: {
        tags,
        summary: 'The class roster (active enrollments unless status is given)',
        params: IdParams,
        querystring: S.RosterQuery,
        response: { 200: PageOf(S.RosterEntry), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      return roster.getRoster(db, contextOf(request), request.params.id, q, pageWindow(q));
    },
  );
  app.put(
    '/classes/:id/students',
    {
      config: { permission: 'rosters:write' },
      schema: {
        tags,
        summary: 'Replace the roster in one call (drops the missing, enrolls the new; all or nothing)',
        params: IdParams,
        body: S.RosterBody,
        response: { 200: DataOf(S.RosterResult), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const ids = await roster.rosterStudentIds(db, ctx, request.params.id, request.body);
      return { data: await roster.replaceRoster(db, ctx, request.params.id, ids) };
    },
  );
  app.post(
    '/classes/:id/students',
    {
      config: { permission: 'rosters:write' },
      schema: {
        tags,
        summary: 'Add students to the roster',
        params: IdParams,
        body: S.RosterBody,
        response: { 201: DataOf(Type.Array(S.Enrollment)), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      const ctx = contextOf(request);
      const ids = await roster.rosterStudentIds(db, ctx, request.params.id, request.body);
      return { data: await roster.addToRoster(db, ctx, request.params.id, ids) };
    },
  );
  app.delete(
    '/classes/:id/students/:student_id',
    {
      config: { permission: 'rosters:write' },
      schema: {
        tags,
        summary: 'Remove a student from the roster (drops the enrollment, history kept)',
        params: S.RosterStudentParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const p = request.params;
      await roster.removeFromRoster(db, contextOf(request), p.id, p.student_id);
      reply.status(204).send(null);
    },
  );
};
