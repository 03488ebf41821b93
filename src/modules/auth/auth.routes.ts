import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses, IdParams } from '../../kernel/schemas.js';
import { User } from '../users/index.js';
import {
  ChangePasswordBody,
  EmailBody,
  LoginBody,
  MessageOut,
  OidcBody,
  ProvidersOut,
  RefreshBody,
  RegisterBody,
  ResetPasswordBody,
  SessionOut,
  TokenPair,
  VerifyEmailBody,
  VerifyTokenOut,
} from './auth.schemas.js';
import * as svc from './auth.service.js';
import { createLoginThrottle } from './auth-throttle.js';

const tags = ['auth'];

function client(request: FastifyRequest): svc.ClientInfo {
  return { ip: request.ip ?? null, userAgent: (request.headers['user-agent'] as string | undefined) ?? null };
}

export const authRoutes: RoutePlugin = async (app) => {
  const deps = app.deps;
  // Credential-guessing endpoints get a much tighter per-IP budget than the API at large.
  const strict = { max: deps.config.rateLimit.authMax, timeWindow: deps.config.rateLimit.windowMs };
  // Sign-in counts failed attempts only (per address), so a school behind one address can sign in at once.
  const throttle = createLoginThrottle(
    deps.redis,
    deps.config.rateLimit.authMax,
    deps.config.rateLimit.windowMs,
  );

  app.post(
    '/auth/register',
    {
      config: { permission: 'public', rateLimit: strict },
      schema: {
        tags,
        summary: 'Self-register as a student (where an organization allows it)',
        body: RegisterBody,
        response: { 201: DataOf(User), ...errorResponses(400, 403, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.register(deps, request.body, client(request)) };
    },
  );

  app.post(
    '/auth/login',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Sign in with username, email or service number',
        description:
          'Failures answer one generic message; repeated failures lock the account for a while. Failed ' +
          'attempts from one address beyond RATE_LIMIT_AUTH_MAX per window answer 429 with Retry-After; ' +
          'successful sign-ins never count, so a school behind one address can sign in at once.',
        body: LoginBody,
        response: { 200: DataOf(TokenPair), ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const b = request.body;
      return { data: await svc.login(deps, b.username, b.password, client(request), throttle) };
    },
  );

  app.post(
    '/auth/refresh',
    {
      config: { permission: 'public', rateLimit: strict },
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new pair (rotation; reuse revokes the session)',
        body: RefreshBody,
        response: { 200: DataOf(TokenPair), ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => ({
      data: await svc.refresh(deps, request.body.refresh_token, client(request)),
    }),
  );

  app.post(
    '/auth/logout',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Revoke the current access token and its refresh family, across all API processes',
        response: { 204: Type.Null(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await svc.logout(deps, contextOf(request));
      reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'The signed-in user with roles',
        response: { 200: DataOf(User), ...errorResponses(401) },
      },
    },
    async (request) => ({ data: await svc.me(deps, contextOf(request)) }),
  );

  app.get(
    '/auth/verify-token',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Check that the presented access token is valid and not revoked',
        response: { 200: DataOf(VerifyTokenOut), ...errorResponses(401) },
      },
    },
    async (request) => {
      const a = contextOf(request).actor;
      return {
        data: {
          valid: true as const,
          user_id: a.userId,
          session_id: a.sessionId,
          expires_at: new Date(a.tokenExpiresAt * 1000).toISOString(),
        },
      };
    },
  );

  app.post(
    '/auth/change-password',
    {
      config: { permission: 'authenticated', rateLimit: strict },
      schema: {
        tags,
        summary: 'Change your password; your other sessions are signed out',
        body: ChangePasswordBody,
        response: { 200: DataOf(MessageOut), ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const b = request.body;
      await svc.changePassword(deps, contextOf(request), b.current_password, b.new_password);
      return { data: { message: 'Password changed; other sessions were signed out' } };
    },
  );

  app.post(
    '/auth/forgot-password',
    {
      config: { permission: 'public', rateLimit: strict },
      schema: {
        tags,
        summary: 'Email a 6-digit reset code (always 202, whether or not the email is registered)',
        body: EmailBody,
        response: { 202: DataOf(MessageOut), ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await svc.forgotPassword(deps, request.body.email);
      reply.status(202);
      return { data: { message: 'If the address is registered, a code has been sent' } };
    },
  );

  app.post(
    '/auth/reset-password',
    {
      config: { permission: 'public', rateLimit: strict },
      schema: {
        tags,
        summary: 'Set a new password with the emailed code (single use, 5 attempts, expires)',
        body: ResetPasswordBody,
        response: { 200: DataOf(MessageOut), ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      const b = request.body;
      await svc.resetPassword(deps, b.email, b.otp, b.new_password);
      return { data: { message: 'Password has been reset; sign in with the new password' } };
    },
  );

  app.post(
    '/auth/verify-email/request',
    {
      config: { permission: 'authenticated', rateLimit: strict },
      schema: {
        tags,
        summary: 'Email a verification code to your address',
        response: { 202: DataOf(MessageOut), ...errorResponses(401, 422, 429) },
      },
    },
    async (request, reply) => {
      await svc.requestEmailVerification(deps, contextOf(request));
      reply.status(202);
      return { data: { message: 'A verification code has been sent' } };
    },
  );

  app.post(
    '/auth/verify-email',
    {
      config: { permission: 'public', rateLimit: strict },
      schema: {
        tags,
        summary: 'Confirm an email address with the emailed code',
        body: VerifyEmailBody,
        response: { 200: DataOf(MessageOut), ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      const b = request.body;
      await svc.verifyEmail(deps, b.email, b.otp);
      return { data: { message: 'Email address verified' } };
    },
  );

  app.get(
    '/auth/sessions',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Your open sessions with device, IP and last use',
        response: { 200: DataOf(Type.Array(SessionOut)), ...errorResponses(401) },
      },
    },
    async (request) => ({ data: await svc.listSessions(deps, contextOf(request)) }),
  );

  app.delete(
    '/auth/sessions/:id',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Sign out one of your sessions',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await svc.revokeSession(deps, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/oidc/google',
    {
      config: { permission: 'public', rateLimit: strict },
      schema: {
        tags,
        summary: 'Sign in with a Google ID token (email must be on the allow-list)',
        body: OidcBody,
        response: { 200: DataOf(TokenPair), ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request) => ({
      data: await svc.oidcGoogle(deps, request.body.id_token, client(request)),
    }),
  );

  app.get(
    '/auth/providers',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'The sign-in methods this deployment offers (the console shows the Google button from it)',
        response: { 200: DataOf(ProvidersOut), ...errorResponses(429) },
      },
    },
    async () => {
      const clientId = deps.config.oidcGoogle.clientId;
      return { data: { password: true as const, google: clientId ? { client_id: clientId } : null } };
    },
  );
};
