import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  AdminResetPassword,
  AllowedEmail,
  CreateAllowedEmail,
  CreateUser,
  ListAllowedEmailsQuery,
  ListUsersQuery,
  RoleBody,
  UpdateUser,
  User,
} from './users.schemas.js';
import * as svc from './users.service.js';
import * as allowed from './users-allowed-emails.service.js';

const tags = ['users'];

export const usersRoutes: RoutePlugin = async (app) => {
  const deps = app.deps;
  const { db } = deps;

  app.post(
    '/users',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: 'Create a user with roles (without a password the user is emailed a setup code)',
        body: CreateUser,
        response: { 201: DataOf(User), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createUser(deps, contextOf(request), request.body) };
    },
  );

  app.get(
    '/users',
    {
      config: { permission: 'users:read' },
      schema: {
        tags,
        summary: 'List users in your organizations',
        querystring: ListUsersQuery,
        response: { 200: PageOf(User), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listUsers(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/users/:id',
    {
      config: { permission: 'users:read' },
      schema: {
        tags,
        summary: 'Get a user',
        params: IdParams,
        response: { 200: DataOf(User), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getUser(db, contextOf(request), request.params.id) }),
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: 'Update a user (deactivating signs them out everywhere)',
        params: IdParams,
        body: UpdateUser,
        response: { 200: DataOf(User), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({
      data: await svc.updateUser(deps, contextOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/users/:id',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: 'Deactivate a user (history is kept)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await svc.deactivateUser(deps, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );

  app.post(
    '/users/:id/reset-password',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: "Reset a user's password, or email them a reset code",
        params: IdParams,
        body: Type.Optional(AdminResetPassword),
        response: {
          200: DataOf(
            Type.Object({ result: Type.Union([Type.Literal('password_set'), Type.Literal('code_sent')]) }),
          ),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      data: {
        result: await svc.adminResetPassword(
          deps,
          contextOf(request),
          request.params.id,
          request.body?.new_password,
        ),
      },
    }),
  );

  app.post(
    '/users/:id/roles',
    {
      config: { permission: 'roles:write' },
      schema: {
        tags,
        summary: 'Grant a role over an organization you administer',
        params: IdParams,
        body: RoleBody,
        response: { 200: DataOf(User), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.addRole(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/users/:id/roles',
    {
      config: { permission: 'roles:write' },
      schema: {
        tags,
        summary: 'Revoke a role assignment',
        params: IdParams,
        body: RoleBody,
        response: { 200: DataOf(User), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({
      data: await svc.removeRole(db, contextOf(request), request.params.id, request.body),
    }),
  );

  const etags = ['allowed-emails'];
  app.post(
    '/allowed-emails',
    {
      config: { permission: 'allowed_emails:manage' },
      schema: {
        tags: etags,
        summary: 'Allow an email to sign in with Google',
        body: CreateAllowedEmail,
        response: { 201: DataOf(AllowedEmail), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await allowed.createAllowedEmail(db, contextOf(request), request.body) };
    },
  );
  app.get(
    '/allowed-emails',
    {
      config: { permission: 'allowed_emails:manage' },
      schema: {
        tags: etags,
        summary: 'List the sign-in allow-list',
        querystring: ListAllowedEmailsQuery,
        response: { 200: PageOf(AllowedEmail), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return allowed.listAllowedEmails(db, contextOf(request), q.search, pageWindow(q));
    },
  );
  app.delete(
    '/allowed-emails/:id',
    {
      config: { permission: 'allowed_emails:manage' },
      schema: {
        tags: etags,
        summary: 'Remove an email from the allow-list',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await allowed.deleteAllowedEmail(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );
};
