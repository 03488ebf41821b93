import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
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

export async function guardiansRoutes(app: FastifyInstance) {
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
      return { data: await svc.createGuardian(deps, contextOf(request), request.body as any) };
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
      const q = request.query as any;
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
    async (request) => ({ data: await svc.getGuardian(db, contextOf(request), (request.params as any).id) }),
  );

  app.put(
    '/guardians/:id',
    {
      config: { permission: 'guardians:write' },
      schema: {
        tags,
        summary: 'Update a guardian',
        params: IdParams,
        body: UpdateGuardian,
        response: { 200: DataOf(Guardian), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.updateGuardian(db, contextOf(request), (request.params as any).id, request.body as any),
    }),
  );

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
      await svc.deleteGuardian(db, contextOf(request), (request.params as any).id);
      reply.status(204).send();
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
      data: await svc.listGuardianStudents(db, contextOf(request), (request.params as any).id),
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
      data: await svc.listStudentGuardians(db, contextOf(request), (request.params as any).id),
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
        data: await svc.linkGuardian(db, contextOf(request), (request.params as any).id, request.body as any),
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
      const p = request.params as any;
      await svc.unlinkGuardian(db, contextOf(request), p.id, p.guardian_id);
      reply.status(204).send();
    },
  );
}
