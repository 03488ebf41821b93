import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  Created,
  CreateNotification,
  ListNotificationsQuery,
  Notification,
  NotificationDetail,
  UnreadCount,
} from './notifications.schemas.js';
import * as svc from './notifications.service.js';

const tags = ['notifications'];

export const notificationsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/notifications',
    {
      config: { permission: 'notifications:send' },
      schema: {
        tags,
        summary: 'Send a notification to an audience (fanned out to every recipient in one insert)',
        body: CreateNotification,
        response: { 201: DataOf(Created), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createNotification(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/notifications',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'List the notifications you received, newest first',
        querystring: ListNotificationsQuery,
        response: { 200: PageOf(Notification), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listMine(db, contextOf(request), Boolean(q.unread), pageWindow(q));
    },
  );

  app.get(
    '/notifications/unread',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Count your unread notifications',
        response: { 200: DataOf(UnreadCount), ...errorResponses(401) },
      },
    },
    async (request) => ({ data: await svc.unreadCount(db, contextOf(request)) }),
  );

  app.get(
    '/notifications/:id',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Get one notification you received (or sent, for admin/staff)',
        params: IdParams,
        response: { 200: DataOf(NotificationDetail), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({
      data: await svc.getNotification(db, contextOf(request), request.params.id),
    }),
  );

  app.put(
    '/notifications/:id/read',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Mark a notification you received as read',
        params: IdParams,
        response: { 200: DataOf(NotificationDetail), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({
      data: await svc.markRead(db, contextOf(request), request.params.id),
    }),
  );

  app.delete(
    '/notifications/:id',
    {
      config: { permission: 'notifications:send' },
      schema: {
        tags,
        summary: 'Delete a notification (and every delivery of it)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await svc.deleteNotification(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );
};
