import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { Hold, HoldSweepResult, ListHoldsQuery, PlaceHold } from './library-holds.schemas.js';
import * as svc from './library-holds.service.js';

const tags = ['library'];

/** Holds (reservations) and their queues. */
export const libraryHoldsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/library/holds',
    {
      config: { permission: 'library:borrow' },
      schema: {
        tags,
        summary: 'Reserve a book that has no copy on the shelf (for yourself, or the desk for a patron)',
        body: PlaceHold,
        response: { 201: DataOf(Hold), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.placeHold(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/library/holds',
    {
      config: { permission: 'library:loans' },
      schema: {
        tags,
        summary: "Holds in queue order (the desk in scope, patrons their own, parents their children's)",
        querystring: ListHoldsQuery,
        response: { 200: PageOf(Hold), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listHolds(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.delete(
    '/library/holds/:id',
    {
      config: { permission: 'library:borrow' },
      schema: {
        tags,
        summary: 'Cancel a hold; a copy set aside for it passes to the next in the queue',
        params: IdParams,
        response: { 200: DataOf(Hold), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ data: await svc.cancelHold(db, contextOf(request), request.params.id) }),
  );

  app.post(
    '/library/holds/expire',
    {
      config: { permission: 'library:manage' },
      schema: {
        tags,
        summary: 'Expire ready holds whose pickup date has passed (desk sweep)',
        description:
          'Each overdue ready hold is closed as `expired` and its patron told; the copy it had set aside goes ' +
          'to the next waiting hold or back to the shelf. Issuing and reserving a book do the same for that ' +
          'book on the way, so the sweep only tidies books nobody touched; run it daily. At most 200 books a ' +
          'call (`more` says when to call again).',
        response: { 200: DataOf(HoldSweepResult), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ data: await svc.sweepExpiredHolds(db, contextOf(request)) }),
  );
};
