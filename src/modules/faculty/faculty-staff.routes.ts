import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { CreateStaff, ListStaffQuery, Staff, UpdateStaff } from './faculty-staff.schemas.js';
import * as svc from './faculty-staff.service.js';

const tags = ['staff'];

export const staffRoutes: RoutePlugin = async (app) => {
  const deps = app.deps;
  const { db } = deps;

  app.post(
    '/staff',
    {
      config: { permission: 'staff:write' },
      schema: {
        tags,
        summary: 'Register a staff member (creates the login user with the staff role)',
        body: CreateStaff,
        response: { 201: DataOf(Staff), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createStaff(deps, contextOf(request), request.body) };
    },
  );

  app.get(
    '/staff',
    {
      config: { permission: 'staff:read' },
      schema: {
        tags,
        summary: 'List staff in your organizations',
        querystring: ListStaffQuery,
        response: { 200: PageOf(Staff), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listStaff(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/staff/:id',
    {
      config: { permission: 'staff:read' },
      schema: {
        tags,
        summary: 'Get one staff member',
        params: IdParams,
        response: { 200: DataOf(Staff), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getStaff(db, contextOf(request), request.params.id) }),
  );

  for (const method of ['patch', 'put'] as const) {
    app[method](
      '/staff/:id',
      {
        config: { permission: 'staff:write' },
        schema: {
          tags,
          summary:
            method === 'patch'
              ? 'Update a staff member (only the fields given change)'
              : 'Deprecated: use PATCH (this PUT changes only the fields given, like PATCH)',
          deprecated: method === 'put',
          params: IdParams,
          body: UpdateStaff,
          response: { 200: DataOf(Staff), ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => ({
        data: await svc.updateStaff(db, contextOf(request), request.params.id, request.body),
      }),
    );
  }

  app.delete(
    '/staff/:id',
    {
      config: { permission: 'staff:write' },
      schema: {
        tags,
        summary: 'Soft-delete a staff member (status inactive)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await svc.deleteStaff(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );
};
