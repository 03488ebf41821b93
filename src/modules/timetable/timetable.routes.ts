import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  CreateSlot,
  Generate,
  ListSchedulesQuery,
  ListSlotsQuery,
  Schedule,
  Slot,
  UpdateSchedule,
  UpdateSlot,
} from './timetable.schemas.js';
import * as svc from './timetable.service.js';
import * as slotSvc from './timetable-slots.service.js';

const tags = ['timetable'];

export const timetableRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/timetable-slots',
    {
      config: { permission: 'timetable:write' },
      schema: {
        tags,
        summary: 'Create a weekly time slot',
        body: CreateSlot,
        response: { 201: DataOf(Slot), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await slotSvc.createSlot(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/timetable-slots',
    {
      config: { permission: 'timetable:read' },
      schema: {
        tags,
        summary: 'List time slots',
        querystring: ListSlotsQuery,
        response: { 200: PageOf(Slot), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return slotSvc.listSlots(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/timetable-slots/:id',
    {
      config: { permission: 'timetable:read' },
      schema: {
        tags,
        summary: 'One time slot',
        params: IdParams,
        response: { 200: DataOf(Slot), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await slotSvc.getSlot(db, contextOf(request), request.params.id) }),
  );

  app.put(
    '/timetable-slots/:id',
    {
      config: { permission: 'timetable:write' },
      schema: {
        tags,
        summary: 'Change a time slot',
        params: IdParams,
        body: UpdateSlot,
        response: { 200: DataOf(Slot), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await slotSvc.updateSlot(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/timetable-slots/:id',
    {
      config: { permission: 'timetable:write' },
      schema: {
        tags,
        summary: 'Delete a time slot no schedule uses',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await slotSvc.deleteSlot(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );

  app.post(
    '/timetable/generate',
    {
      config: { permission: 'timetable:write' },
      schema: {
        tags,
        summary: 'Schedule many classes into slots and rooms at once (all or nothing)',
        description:
          'Refuses room, teacher and student-group clashes — within the batch and against existing schedules — ' +
          'with 422 `timetable_conflicts`, one detail per clash naming what it clashes with.',
        body: Generate,
        response: { 201: DataOf(Type.Array(Schedule)), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.generate(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/timetable',
    {
      config: { permission: 'timetable:read' },
      schema: {
        tags,
        summary: 'List class schedules you can see',
        querystring: ListSchedulesQuery,
        response: { 200: PageOf(Schedule), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listSchedules(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.put(
    '/timetable/:id',
    {
      config: { permission: 'timetable:write' },
      schema: {
        tags,
        summary: 'Change a class schedule (slot, room, dates, active), re-checking clashes',
        params: IdParams,
        body: UpdateSchedule,
        response: { 200: DataOf(Schedule), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({
      data: await svc.updateSchedule(db, contextOf(request), request.params.id, request.body),
    }),
  );
};
