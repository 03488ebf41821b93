import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { spreadsheetResponse } from '../../kernel/spreadsheet.js';
import { IcsResponse, sendIcs } from '../timetable/index.js';
import { scheduleClashes } from './exams-clashes.service.js';
import * as exporter from './exams-export.service.js';
import {
  CreateExamEntry,
  ExamEntry,
  ExamFeedQuery,
  ExportExamEntriesQuery,
  ListExamEntriesQuery,
  ScheduleClashes,
  UpdateExamEntry,
} from './exams-timetable.schemas.js';
import * as svc from './exams-timetable.service.js';

const tags = ['exams'];
const CLASH =
  'Refused with 409 `exam_clash` when a student enrolled in the class would sit two exams at once, or the ' +
  'venue would seat more candidates than its capacity; `error.details` names each clash (the student and ' +
  'the entry they already sit, or the venue, its capacity and the seats required).';

/** The exam timetable (seed 004 `/exam-timetable`): entries, a student's exams, export, calendar feeds. */
export const examTimetableRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/exam-timetable/export',
    {
      config: { permission: 'exams:export' },
      schema: {
        tags,
        summary: 'Export the filtered exam timetable as CSV or XLSX (streamed)',
        description:
          'Every entry you may read that matches, in list order. Text cells starting with = + - @, tab or CR ' +
          'are prefixed with a single quote so spreadsheet programs never run them as formulas.',
        querystring: ExportExamEntriesQuery,
        response: {
          200: spreadsheetResponse,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, typedReply) => {
      // The file is a stream; the typed reply only knows the documented string body.
      const reply: FastifyReply = typedReply;
      const { format = 'csv', ...f } = request.query;
      const stamp = new Date().toISOString().slice(0, 10);
      reply
        .type(
          format === 'xlsx'
            ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
            : 'text/csv; charset=utf-8',
        )
        .header('content-disposition', `attachment; filename="exam-timetable-${stamp}.${format}"`);
      return reply.send(exporter.exportEntries(db, contextOf(request), f, format));
    },
  );

  app.get(
    '/exams/:id/clashes',
    {
      config: { permission: 'exams:write' },
      schema: {
        tags,
        summary: 'Re-check a schedule: its student clashes and venue overloads as the rosters stand now',
        description:
          'Entries are clash-checked when written; students enrolled in a class afterwards are not. This lists ' +
          'every student enrolled in two overlapping papers (one of them in this schedule) and every venue over ' +
          'capacity during one of its papers, as of now.',
        params: IdParams,
        response: { 200: DataOf(ScheduleClashes), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await scheduleClashes(db, contextOf(request), request.params.id) }),
  );

  app.get(
    '/exam-timetable/student/:id',
    {
      config: { permission: 'exams:read' },
      schema: {
        tags,
        summary: "A student's exams: entries of the classes they are enrolled in (not cancelled)",
        description:
          'Managers, the student, a linked parent; a teacher sees only the entries of classes they teach.',
        params: IdParams,
        querystring: ListExamEntriesQuery,
        response: { 200: PageOf(ExamEntry), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      svc.studentEntries(
        db,
        contextOf(request),
        { id: request.params.id },
        request.query,
        pageWindow(request.query),
      ),
  );
  app.get(
    '/exam-timetable/student/:id.ics',
    {
      config: { permission: 'exams:read' },
      schema: {
        tags,
        summary: "A student's exams as an iCalendar feed (from 180 days back)",
        params: IdParams,
        querystring: ExamFeedQuery,
        response: IcsResponse,
      },
    },
    async (request, reply) =>
      sendIcs(
        reply,
        await exporter.studentCalendar(db, contextOf(request), { id: request.params.id }, request.query),
        `exams-${request.params.id}`,
      ),
  );
  app.get(
    '/students/me/exam-timetable',
    {
      config: { permission: 'exams:self' },
      schema: {
        tags,
        summary: 'My exams (signed-in student)',
        querystring: ListExamEntriesQuery,
        response: { 200: PageOf(ExamEntry), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) =>
      svc.studentEntries(db, contextOf(request), { me: true }, request.query, pageWindow(request.query)),
  );
  app.get(
    '/students/me/exam-timetable.ics',
    {
      config: { permission: 'exams:self' },
      schema: {
        tags,
        summary: 'My exams as an iCalendar feed (signed-in student)',
        querystring: ExamFeedQuery,
        response: IcsResponse,
      },
    },
    async (request, reply) =>
      sendIcs(
        reply,
        await exporter.studentCalendar(db, contextOf(request), { me: true }, request.query),
        'my-exams',
      ),
  );

  app.get(
    '/exam-timetable',
    {
      config: { permission: 'exams:read' },
      schema: {
        tags,
        summary: 'List exam timetable entries you may read, by day and start time',
        querystring: ListExamEntriesQuery,
        response: { 200: PageOf(ExamEntry), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listEntries(db, contextOf(request), request.query, pageWindow(request.query)),
  );
  app.post(
    '/exam-timetable',
    {
      config: { permission: 'exams:write' },
      schema: {
        tags,
        summary: 'Add a paper to an exam schedule (clash-checked)',
        description: CLASH,
        body: CreateExamEntry,
        response: { 201: DataOf(ExamEntry), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createEntry(db, contextOf(request), request.body) };
    },
  );
  app.get(
    '/exam-timetable/:id',
    {
      config: { permission: 'exams:read' },
      schema: {
        tags,
        summary: 'Get one exam timetable entry',
        params: IdParams,
        response: { 200: DataOf(ExamEntry), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getEntry(db, contextOf(request), request.params.id) }),
  );
  app.put(
    '/exam-timetable/:id',
    {
      config: { permission: 'exams:write' },
      schema: {
        tags,
        summary: 'Move or change a paper (only the given fields change; clash-checked)',
        description: CLASH,
        params: IdParams,
        body: UpdateExamEntry,
        response: { 200: DataOf(ExamEntry), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({
      data: await svc.updateEntry(db, contextOf(request), request.params.id, request.body),
    }),
  );
  app.delete(
    '/exam-timetable/:id',
    {
      config: { permission: 'exams:write' },
      schema: {
        tags,
        summary: 'Remove a paper from a draft or scheduled exam schedule',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await svc.deleteEntry(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );
};
