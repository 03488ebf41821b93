import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import { redactPathAfter } from '../../kernel/log-redaction.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses, IdParams } from '../../kernel/schemas.js';
import { IcsResponse, sendIcs } from './timetable-feed.js';
import { CalendarFeed, CalendarFeedWithUrl, CreateFeed, FeedTokenParams } from './timetable-feeds.schemas.js';
import * as svc from './timetable-feeds.service.js';

const tags = ['timetable'];
const FEED_PATH = '/timetable/feeds/';

// The secret in a feed URL never reaches the request log.
redactPathAfter(FEED_PATH);

/** The public base of the feed URLs: this request's origin and the API prefix (`/api/v1`). */
function baseOf(request: FastifyRequest) {
  const url = request.url.split('?')[0];
  const prefix = url.slice(0, url.indexOf('/timetable/feeds'));
  return `${request.protocol}://${request.host}${prefix}`;
}

/** Per-user signed, revocable, rotatable read-only links to the `.ics` feeds (docs/timetable-feeds.md). */
export const timetableFeedsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/timetable/feeds',
    {
      config: { permission: 'timetable:read' },
      schema: {
        tags,
        summary: 'Create a calendar feed link (a secret URL a phone can subscribe to)',
        description:
          'The URL is shown once. Anyone holding it reads that one feed, read-only, with your access as of ' +
          'the time of reading; rotate or revoke the link if it leaks.',
        body: CreateFeed,
        response: { 201: DataOf(CalendarFeedWithUrl), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createFeed(db, contextOf(request), request.body, baseOf(request)) };
    },
  );

  app.get(
    '/timetable/feeds',
    {
      config: { permission: 'timetable:read' },
      schema: {
        tags,
        summary: 'Your calendar feed links (without their secrets)',
        response: { 200: DataOf(Type.Array(CalendarFeed)), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ data: await svc.listFeeds(db, contextOf(request)) }),
  );

  app.post(
    '/timetable/feeds/:id/rotate',
    {
      config: { permission: 'timetable:read' },
      schema: {
        tags,
        summary: 'Give a feed link a new secret URL; the old one stops working',
        params: IdParams,
        response: { 200: DataOf(CalendarFeedWithUrl), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.rotateFeed(db, contextOf(request), request.params.id, baseOf(request)),
    }),
  );

  app.delete(
    '/timetable/feeds/:id',
    {
      config: { permission: 'timetable:read' },
      schema: {
        tags,
        summary: 'Revoke a feed link',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await svc.revokeFeed(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );

  app.get(
    '/timetable/feeds/:token.ics',
    {
      // The secret in the URL is the credential: no Bearer token (calendar apps cannot send one).
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'A calendar feed by its secret link (read-only, no Bearer token)',
        security: [],
        params: FeedTokenParams,
        response: IcsResponse,
      },
    },
    async (request, reply) => {
      const { body, file } = await svc.readFeed(db, request.params.token, {
        ip: request.ip ?? null,
        userAgent: (request.headers['user-agent'] as string | undefined)?.slice(0, 500) ?? null,
        requestId: String(request.id),
      });
      reply.header('referrer-policy', 'no-referrer');
      return sendIcs(reply, body, file);
    },
  );
};
