import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { CursorPageOf, DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  AttendanceRecord,
  AttendanceSession,
  ClassDateQuery,
  ClassDayEntry,
  CreateSession,
  ListRecordsQuery,
  ListSessionsQuery,
  MarkBulk,
  MarkOne,
  MarkResult,
  SessionWithRecords,
  UpdateRecord,
  UpsertRecords,
} from './attendance.schemas.js';
import * as svc from './attendance.service.js';

const tags = ['attendance'];
/** 10,000 records with remarks fit; larger bodies answer 413 before parsing. */
const BULK_BODY_LIMIT = 8 * 1024 * 1024;

export const attendanceRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/attendance/sessions',
    {
      config: { permission: 'attendance:take' },
      schema: {
        tags,
        summary: 'Open an attendance session (roll call) for a class you teach',
        description: 'One session per class, date and period; a second one answers 409.',
        body: CreateSession,
        response: { 201: DataOf(AttendanceSession), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createSession(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/attendance/sessions',
    {
      config: { permission: 'attendance:take' },
      schema: {
        tags,
        summary: 'List attendance sessions (by class and date range) with per-status counts',
        querystring: ListSessionsQuery,
        response: { 200: PageOf(AttendanceSession), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listSessions(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/attendance/sessions/:id',
    {
      config: { permission: 'attendance:take' },
      schema: {
        tags,
        summary: 'One attendance session with its records',
        params: IdParams,
        response: { 200: DataOf(SessionWithRecords), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getSession(db, contextOf(request), request.params.id) }),
  );

  app.put(
    '/attendance/sessions/:id/records',
    {
      bodyLimit: BULK_BODY_LIMIT,
      config: { permission: 'attendance:take' },
      schema: {
        tags,
        summary: 'Upsert student statuses of a session by student_id or roll_no (all or nothing)',
        description:
          'One set-based statement. Unknown or ambiguous students answer 422 `unknown_students` listing each; ' +
          'records before the freeze date answer 422 `attendance_frozen`. Nothing is written on error.',
        params: IdParams,
        body: UpsertRecords,
        response: { 200: DataOf(MarkResult), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({
      data: await svc.upsertSessionRecords(db, contextOf(request), request.params.id, request.body.records),
    }),
  );

  app.post(
    '/attendance',
    {
      config: { permission: 'attendance:take' },
      schema: {
        tags,
        summary: "Mark one student's attendance for a class and date (creates or updates)",
        body: MarkOne,
        response: {
          200: DataOf(AttendanceRecord),
          201: DataOf(AttendanceRecord),
          ...errorResponses(400, 401, 403, 404, 422),
        },
      },
    },
    async (request, reply) => {
      const { created, record } = await svc.markOne(db, contextOf(request), request.body);
      reply.status(created ? 201 : 200);
      return { data: record };
    },
  );

  app.post(
    '/attendance/bulk',
    {
      bodyLimit: BULK_BODY_LIMIT,
      config: { permission: 'attendance:take' },
      schema: {
        tags,
        summary: 'Mark a whole class for a date in one request (up to 10,000 records, all or nothing)',
        body: MarkBulk,
        response: { 200: DataOf(MarkResult), ...errorResponses(400, 401, 403, 404, 413, 422) },
      },
    },
    async (request) => ({ data: await svc.markBulk(db, contextOf(request), request.body) }),
  );

  app.put(
    '/attendance/:id',
    {
      config: { permission: 'attendance:take' },
      schema: {
        tags,
        summary: 'Correct one attendance record',
        params: IdParams,
        body: UpdateRecord,
        response: { 200: DataOf(AttendanceRecord), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const { record } = await svc.updateRecord(db, contextOf(request), request.params.id, request.body);
      return { data: record };
    },
  );

  app.get(
    '/attendance',
    {
      config: { permission: 'attendance:read' },
      schema: {
        tags,
        summary: 'Attendance records feed, newest first (keyset cursor)',
        description: 'Teachers see their classes, students their own records, parents their children’s.',
        querystring: ListRecordsQuery,
        response: { 200: CursorPageOf(AttendanceRecord), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listRecords(db, contextOf(request), request.query),
  );

  app.get(
    '/classes/:id/attendance',
    {
      config: { permission: 'attendance:take' },
      schema: {
        tags,
        summary: 'The class roster with each student’s status on a date',
        params: IdParams,
        querystring: ClassDateQuery,
        response: { 200: DataOf(Type.Array(ClassDayEntry)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      return {
        data: await svc.classDay(
          db,
          contextOf(request),
          request.params.id,
          svc.attendanceDateOf(q, 'date'),
          q.period,
        ),
      };
    },
  );
};
