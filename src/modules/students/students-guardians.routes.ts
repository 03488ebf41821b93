import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  CreateGuardian,
  Guardian,
  GuardianStudent,
  LinkGuardian,
  ListGuardiansQuery,
  StudentGuardian,
  StudentGuardianParams,
  UpdateGuardian,
} from './students-guardians.schemas.js';
import * as svc from './students-guardians.service.js';

const tags = ['guardians'];

export const guardiansRoutes: RoutePlugin = async (app) => {
  const deps = app.deps;
  const { db } = deps;

  app.post(
    '/guardians',
    {
      config: { permission: 'guardians:write' },
      schema: {
        tags,
        summary: 'Create a guardian, optionally with a parent login',
        body: CreateGuardian,
        response: { 201: DataOf(Guardian), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createGuardian(deps, contextOf(request), request.body) };
    },
  );

  app.get(
    '/guardians',
    {
      config: { permission: 'guardians:read' },
      schema: {
        tags,
        summary: 'List guardians in your organizations (a parent sees their own record)',
        querystring: ListGuardiansQuery,
        response: { 200: PageOf(Guardian), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listGuardians(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/guardians/:id',
    {
      config: { permission: 'guardians:read' },
      schema: {
        tags,
        summary: 'Get one guardian',
        params: IdParams,
        response: { 200: DataOf(Guardian), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getGuardian(db, contextOf(request), request.params.id) }),
  );

  for (const method of ['patch', 'put'] as const) {
    app[method](
      '/guardians/:id',
      {
        config: { permission: 'guardians:write' },
        schema: {
          tags,
          summary:
            method === 'patch'
              ? 'Update a guardian (only the fields given change)'
              : 'Deprecated: use PATCH (this PUT changes only the fields given, like PATCH)',
          deprecated: method === 'put',
          params: IdParams,
          body: UpdateGuardian,
          response: { 200: DataOf(Guardian), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({
        data: await svc.updateGuardian(db, contextOf(request), request.params.id, request.body),
      }),
    );
  }

  app.delete(
    '/guardians/:id',
    {
      config: { permission: 'guardians:write' },
      schema: {
        tags,
        summary: 'Delete a guardian and its links to students',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await svc.deleteGuardian(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );

  app.get(
    '/guardians/:id/students',
    {
      config: { permission: 'guardians:read' },
      schema: {
        tags,
        summary: 'Students linked to a guardian',
        params: IdParams,
        response: { 200: DataOf(Type.Array(GuardianStudent)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.listGuardianStudents(db, contextOf(request), request.params.id),
    }),
  );

  app.get(
    '/students/:id/guardians',
    {
      config: { permission: 'students:read' },
      schema: {
        tags: ['students', ...tags],
        summary: "A student's guardians (primary first)",
        params: IdParams,
        response: { 200: DataOf(Type.Array(StudentGuardian)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.listStudentGuardians(db, contextOf(request), request.params.id),
    }),
  );

  app.post(
    '/students/:id/guardians',
    {
      config: { permission: 'guardians:write' },
      schema: {
        tags: ['students', ...tags],
        summary: 'Link a guardian to a student',
        params: IdParams,
        body: LinkGuardian,
        response: { 201: DataOf(StudentGuardian), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return {
        data: await svc.linkGuardian(db, contextOf(request), request.params.id, request.body),
      };
    },
  );

  app.delete(
    '/students/:id/guardians/:guardian_id',
    {
      config: { permission: 'guardians:write' },
      schema: {
        tags: ['students', ...tags],
        summary: 'Unlink a guardian from a student',
        params: StudentGuardianParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const p = request.params;
      await svc.unlinkGuardian(db, contextOf(request), p.id, p.guardian_id);
      reply.status(204).send(null);
    },
  );
};
