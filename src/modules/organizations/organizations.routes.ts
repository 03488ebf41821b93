import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { PageQuery, pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  CreateOrganization,
  ListOrganizationsQuery,
  MoveOrganization,
  Organization,
  UpdateOrganization,
} from './organizations.schemas.js';
import * as svc from './organizations.service.js';

const tags = ['organizations'];

export const organizationsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/organizations',
    {
      config: { permission: 'organizations:write' },
      schema: {
        tags,
        summary: 'Create an organization under one you administer',
        body: CreateOrganization,
        response: { 201: DataOf(Organization), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createOrganization(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/organizations',
    {
      config: { permission: 'organizations:read' },
      schema: {
        tags,
        summary: 'List organizations in your scope',
        querystring: ListOrganizationsQuery,
        response: { 200: PageOf(Organization), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listOrganizations(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/organizations/:id',
    {
      config: { permission: 'organizations:read' },
      schema: {
        tags,
        summary: 'Get one organization',
        params: IdParams,
        response: { 200: DataOf(Organization), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.getOrganization(db, contextOf(request), request.params.id),
    }),
  );

  app.get(
    '/organizations/:id/children',
    {
      config: { permission: 'organizations:read' },
      schema: {
        tags,
        summary: 'List the direct children of an organization',
        params: IdParams,
        querystring: Type.Object(PageQuery.properties, { additionalProperties: false }),
        response: { 200: PageOf(Organization), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => svc.listChildren(db, contextOf(request), request.params.id, pageWindow(request.query)),
  );

  app.patch(
    '/organizations/:id',
    {
      config: { permission: 'organizations:write' },
      schema: {
        tags,
        summary: 'Update an organization',
        params: IdParams,
        body: UpdateOrganization,
        response: { 200: DataOf(Organization), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await svc.updateOrganization(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.post(
    '/organizations/:id/move',
    {
      config: { permission: 'organizations:write' },
      schema: {
        tags,
        summary: 'Move an organization and its subtree under another parent',
        description:
          'A school changing district, an office re-attached elsewhere. Everything under the organization moves with it and keeps its own organization; scopes follow at once (every cached sign-in is re-read). Answers the organization as it is after the move (unchanged when the parent is already the given one).',
        params: IdParams,
        body: MoveOrganization,
        response: { 200: DataOf(Organization), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({
      data: await svc.moveOrganization(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/organizations/:id',
    {
      config: { permission: 'organizations:write' },
      schema: {
        tags,
        summary: 'Delete an organization with no children and no records',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await svc.deleteOrganization(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );
};
