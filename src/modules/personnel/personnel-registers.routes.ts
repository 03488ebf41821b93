import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  CreateRegister,
  DeletedRegister,
  DeleteRegisterQuery,
  ListRegistersQuery,
  Register,
  UpdateRegister,
} from './personnel-registers.schemas.js';
import * as svc from './personnel-registers.service.js';

const tags = ['personnel'];

/** `/registers`: personnel registers (seed 003's "databases"). */
export const personnelRegistersRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/registers',
    {
      config: { permission: 'registers:manage' },
      schema: {
        tags,
        summary: 'Create a personnel register (admin)',
        body: CreateRegister,
        response: { 201: DataOf(Register), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createRegister(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/registers',
    {
      config: { permission: 'personnel:read' },
      schema: {
        tags,
        summary: 'List the registers you may use (admins: their organizations; others: allowed registers)',
        querystring: ListRegistersQuery,
        response: { 200: PageOf(Register), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      const w = pageWindow({ page: q.page, page_size: q.limit ?? q.page_size });
      return svc.listRegisters(db, contextOf(request), q.search, w);
    },
  );

  app.get(
    '/registers/:id',
    {
      config: { permission: 'personnel:read' },
      schema: {
        tags,
        summary: 'Get one register',
        params: IdParams,
        response: { 200: DataOf(Register), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getRegister(db, contextOf(request), request.params.id) }),
  );

  app.patch(
    '/registers/:id',
    {
      config: { permission: 'registers:manage' },
      schema: {
        tags,
        summary: 'Rename a register or change its short code (admin)',
        params: IdParams,
        body: UpdateRegister,
        response: { 200: DataOf(Register), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await svc.updateRegister(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/registers/:id',
    {
      config: { permission: 'registers:manage' },
      schema: {
        tags,
        summary: 'Delete a register and all its personnel (admin)',
        description:
          'Deletes the register, every personnel record on it (soft-deleted ones too) and their status ' +
          'history. When the register still has personnel the request must say `confirm=true`; without it ' +
          'the answer is 409 `register_not_empty` and nothing is deleted.',
        params: IdParams,
        querystring: DeleteRegisterQuery,
        response: { 200: DataOf(DeletedRegister), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await svc.deleteRegister(
        db,
        contextOf(request),
        request.params.id,
        request.query.confirm === true,
      ),
    }),
  );
};
