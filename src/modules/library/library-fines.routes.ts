import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { IdempotencyHeaders } from '../finance/index.js';
import { Fine, ListFinesQuery, PayFineBody, PayFineResult, WaiveFineBody } from './library-fines.schemas.js';
import * as svc from './library-fines.service.js';

const tags = ['library'];

/** Overdue fines and their payment. */
export const libraryFinesRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/library/fines',
    {
      config: { permission: 'library:loans' },
      schema: {
        tags,
        summary: "Library fines (desk in scope, borrowers their own, parents their children's)",
        querystring: ListFinesQuery,
        response: { 200: PageOf(Fine), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listFines(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.post(
    '/library/pay-fine',
    {
      config: { permission: 'library:pay' },
      schema: {
        tags,
        summary: 'Pay a fine; Idempotency-Key required',
        description:
          "A student's fine is paid through the finance payment path (receipt, ledger payment entry); " +
          'a repeat with the same key returns the first result. Faculty/staff fines are settled on the ' +
          'fine at the desk.',
        headers: IdempotencyHeaders,
        body: PayFineBody,
        response: { 201: DataOf(PayFineResult), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const r = await svc.payFine(db, contextOf(request), request.body, request.headers['idempotency-key']);
      reply.status(201);
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return r.body;
    },
  );

  app.post(
    '/library/fines/:id/waive',
    {
      config: { permission: 'library:manage' },
      schema: {
        tags,
        summary: 'Waive all or part of a fine (desk), with a reason',
        description:
          "Defaults to all that is outstanding. A student's fine on the ledger gets a `waiver` credit entry of " +
          'the same amount, so the dues drop by what was waived; the reason is kept on the fine and audited.',
        params: IdParams,
        body: WaiveFineBody,
        response: { 200: DataOf(Fine), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({
      data: await svc.waiveFine(db, contextOf(request), request.params.id, request.body),
    }),
  );
};
