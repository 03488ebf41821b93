import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { ApiClient, ApiClientWithSecret, CreateApiClient, ListApiClientsQuery } from './clients.schemas.js';
import * as svc from './clients.service.js';

const tags = ['api-clients'];

/** Admin management of API clients (OneRoster consumers): register, list, rotate, revoke. */
export const clientsRoutes: RoutePlugin = async (app) => {
  const deps = app.deps;
  const permission = 'api_clients:manage';

  app.post(
    '/api-clients',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Register an API client (the secret is shown once)',
        description:
          'Binds the client to an organization subtree and grants OneRoster scopes. The response carries ' +
          '`client_secret` this once; only its hash is stored. The client then calls ' +
          '`POST /ims/oneroster/v1p2/token` with the client credentials grant.',
        body: CreateApiClient,
        response: { 201: DataOf(ApiClientWithSecret), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      reply.status(201).header('cache-control', 'no-store');
      return { data: await svc.createClient(deps.db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/api-clients',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'List API clients of your organization subtree',
        querystring: ListApiClientsQuery,
        response: { 200: PageOf(ApiClient), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listClients(deps.db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.get(
    '/api-clients/:id',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Get an API client',
        params: IdParams,
        response: { 200: DataOf(ApiClient), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getClient(deps.db, contextOf(request), request.params.id) }),
  );

  app.post(
    '/api-clients/:id/rotate',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Rotate the secret (old secret and its tokens stop at once; the new one is shown once)',
        params: IdParams,
        response: { 200: DataOf(ApiClientWithSecret), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { data: await svc.rotateClient(deps, contextOf(request), request.params.id) };
    },
  );

  app.delete(
    '/api-clients/:id',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Revoke an API client (its tokens stop at once; the record is kept)',
        params: IdParams,
        response: { 200: DataOf(ApiClient), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.revokeClient(deps, contextOf(request), request.params.id) }),
  );
};
