import { type Static, type TSchema, Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses, IdParams } from '../../kernel/schemas.js';
import { CreateReschedule, Reschedule, RoomParams, Schedule } from './timetable.schemas.js';
import { IcsResponse, sendIcs } from './timetable-feed.js';
import * as svc from './timetable-views.service.js';

const tags = ['timetable'];
const Weekly = { 200: DataOf(Type.Array(Schedule)), ...errorResponses(400, 401, 403, 404) };

export const timetableViewRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;
  const view = <P extends TSchema>(
    url: string,
    params: P,
    permission: string,
    summary: string,
    who: (p: Static<P>) => svc.Who,
  ) => {
    app.get(
      url,
      { config: { permission }, schema: { tags, summary, params, response: Weekly } },
      // The provider leaves a generic schema's params unresolved; they are Static<P> once validated.
      async (request) => ({
        data: await svc.weekly(db, contextOf(request), who(request.params as Static<P>)),
      }),
    );
    app.get(
      `${url}.ics`,
      {
        config: { permission },
        schema: { tags, summary: `${summary} as an iCalendar feed`, params, response: IcsResponse },
      },
      async (request, reply) => {
        // The provider leaves a generic schema's params unresolved; they are Static<P> once validated.
        const w = who(request.params as Static<P>);
        const name = w.kind === 'room' ? `Room ${w.number}` : `Timetable ${w.kind}`;
        const body = await svc.calendar(db, contextOf(request), w, name);
        return sendIcs(reply, body, w.kind === 'room' ? `room-${w.number}` : `${w.kind}-${w.id}`);
      },
    );
  };
  view('/timetable/student/:id', IdParams, 'timetable:read', "A student's weekly timetable", (p) => ({
    kind: 'student',
    id: p.id,
  }));
  view('/timetable/faculty/:id', IdParams, 'timetable:read', "A faculty member's weekly timetable", (p) => ({
    kind: 'faculty',
    id: p.id,
  }));
  view('/timetable/room/:number', RoomParams, 'timetable:rooms', "A room's weekly timetable", (p) => ({
    kind: 'room',
    number: p.number,
  }));

  app.get(
    '/faculty/:id/schedule',
    {
      config: { permission: 'timetable:read' },
      schema: { tags, summary: "A faculty member's class schedule", params: IdParams, response: Weekly },
    },
    async (request) => ({
      data: await svc.weekly(db, contextOf(request), { kind: 'faculty', id: request.params.id }),
    }),
  );

  app.post(
    '/classes/:id/reschedules',
    {
      config: { permission: 'timetable:reschedule' },
      schema: {
        tags,
        summary: 'Cancel or move one meeting of a class',
        params: IdParams,
        body: CreateReschedule,
        response: { 201: DataOf(Reschedule), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return {
        data: await svc.createReschedule(db, contextOf(request), request.params.id, request.body),
      };
    },
  );

  app.get(
    '/classes/:id/reschedules',
    {
      config: { permission: 'timetable:read' },
      schema: {
        tags,
        summary: 'One-time changes of a class',
        params: IdParams,
        response: { 200: DataOf(Type.Array(Reschedule)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.listReschedules(db, contextOf(request), request.params.id),
    }),
  );
};
