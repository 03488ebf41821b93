import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  BulkDelete,
  BulkDeleteResult,
  CreatePersonnel,
  ListPersonnelQuery,
  Personnel,
  RegisterParams,
  RegisterPersonnelQuery,
  StatusChange,
  UpdatePersonnel,
} from './personnel.schemas.js';
import * as svc from './personnel.service.js';

const tags = ['personnel'];
const windowOf = (q: { page?: number; page_size?: number; limit?: number }) =>
  pageWindow({ page: q.page, page_size: q.limit ?? q.page_size });

/** `/personnel`: records of the registers the actor may use; other registers answer 404. */
export const personnelRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/personnel',
    {
      config: { permission: 'personnel:write' },
      schema: {
        tags,
        summary: 'Add a person to a register',
        description: 'The creation is the first entry of the status history.',
        body: CreatePersonnel,
        response: { 201: DataOf(Personnel), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createPersonnel(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/personnel',
    {
      config: { permission: 'personnel:read' },
      schema: {
        tags,
        summary: 'List personnel of your registers (optionally one register), with search and status filter',
        querystring: ListPersonnelQuery,
        response: { 200: PageOf(Personnel), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listPersonnel(
        db,
        contextOf(request),
        { registerId: q.register_id, search: q.search, filter: q.filter },
        windowOf(q),
      );
    },
  );

  app.get(
    '/personnel/register/:register_id',
    {
      config: { permission: 'personnel:read' },
      schema: {
        tags,
        summary: "One register's personnel, paginated, with search and status filter",
        description:
          '`search` matches part of the first, middle or last name or of the service number (trigram ' +
          'index); `filter` is all or one status.',
        params: RegisterParams,
        querystring: RegisterPersonnelQuery,
        response: { 200: PageOf(Personnel), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listPersonnel(
        db,
        contextOf(request),
        { registerId: request.params.register_id, search: q.search, filter: q.filter },
        windowOf(q),
      );
    },
  );

  app.delete(
    '/personnel/bulk-delete',
    {
      config: { permission: 'personnel:write' },
      schema: {
        tags,
        summary: 'Soft-delete many personnel at once',
        description:
          'One statement: only ids that are live and in your registers are deleted; the answer says how ' +
          'many. Ids outside your registers are ignored exactly like unknown ids.',
        body: BulkDelete,
        response: { 200: DataOf(BulkDeleteResult), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ data: await svc.bulkDeletePersonnel(db, contextOf(request), request.body.ids) }),
  );

  app.get(
    '/personnel/:id',
    {
      config: { permission: 'personnel:read' },
      schema: {
        tags,
        summary: 'Get one person',
        params: IdParams,
        response: { 200: DataOf(Personnel), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getPersonnel(db, contextOf(request), request.params.id) }),
  );

  app.get(
    '/personnel/:id/status-history',
    {
      config: { permission: 'personnel:read' },
      schema: {
        tags,
        summary: "A person's status history, newest first (from, to, when, who, why)",
        params: IdParams,
        response: { 200: DataOf(Type.Array(StatusChange)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.personnelHistory(db, contextOf(request), request.params.id) }),
  );

  app.patch(
    '/personnel/:id',
    {
      config: { permission: 'personnel:write' },
      schema: {
        tags,
        summary: 'Change a person (only the fields given); a status change is kept in the history',
        params: IdParams,
        body: UpdatePersonnel,
        response: { 200: DataOf(Personnel), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await svc.updatePersonnel(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/personnel/:id',
    {
      config: { permission: 'personnel:write' },
      schema: {
        tags,
        summary: 'Soft-delete a person (gone from lists and counts; history kept)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await svc.deletePersonnel(db, contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
