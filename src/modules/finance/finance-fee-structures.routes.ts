import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  ApplyResult,
  CreateFeeStructure,
  FeeStructure,
  ListFeeStructuresQuery,
  UpdateFeeStructure,
} from './finance-fee-structures.schemas.js';
import * as svc from './finance-fee-structures.service.js';
import { applyFeeStructure } from './finance-fee-structures-apply.service.js';

const tags = ['fee-structures'];

export const feeStructuresRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/fee-structures',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Create a fee structure for a program, class or course',
        body: CreateFeeStructure,
        response: { 201: DataOf(FeeStructure), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createFeeStructure(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/fee-structures',
    {
      config: { permission: 'fee_structures:read' },
      schema: {
        tags,
        summary: 'List fee structures of your organizations',
        querystring: ListFeeStructuresQuery,
        response: { 200: PageOf(FeeStructure), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listFeeStructures(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/fee-structures/:id',
    {
      config: { permission: 'fee_structures:read' },
      schema: {
        tags,
        summary: 'Get one fee structure',
        params: IdParams,
        response: { 200: DataOf(FeeStructure), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.getFeeStructure(db, contextOf(request), request.params.id),
    }),
  );

  app.put(
    '/fee-structures/:id',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Update a fee structure (amounts only until it is applied)',
        params: IdParams,
        body: UpdateFeeStructure,
        response: { 200: DataOf(FeeStructure), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({
      data: await svc.updateFeeStructure(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/fee-structures/:id',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Delete a fee structure that has no charges or payments',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await svc.deleteFeeStructure(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );

  app.post(
    '/fee-structures/:id/apply',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Charge every targeted student once (idempotent, one set-based insert)',
        params: IdParams,
        response: { 200: DataOf(ApplyResult), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await applyFeeStructure(db, contextOf(request), request.params.id),
    }),
  );
};
