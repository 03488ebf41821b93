import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageMeta, PageOf } from '../../kernel/schemas.js';
import { GradeListItem } from './grades.schemas.js';
import { reportCardPdf, transcriptPdf } from './grades-pdf.js';
import {
  HonorRollEntry,
  HonorRollQuery,
  Performance,
  ReportCard,
  ReportCardQuery,
  StudentGradesQuery,
  Transcript,
} from './grades-records.schemas.js';
import * as svc from './grades-records.service.js';

const tags = ['grades', 'students'];
const pdfOr = (schema: unknown) => ({
  description: 'PDF by default; JSON with `Accept: application/json`',
  content: {
    'application/pdf': { schema: { type: 'string', format: 'binary' } },
    'application/json': { schema },
  },
});
const wantsJson = (accept: string | undefined) =>
  Boolean(accept && /application\/json/i.test(accept) && !/application\/pdf/i.test(accept));

/** A student's academic record: performance, grades, report card, transcript; the honor roll. */
export const recordsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/students/me/grades',
    {
      config: { permission: 'grades:self' },
      schema: {
        tags,
        summary: 'My posted grades (signed-in student)',
        querystring: StudentGradesQuery,
        response: { 200: PageOf(GradeListItem), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => svc.myGrades(db, contextOf(request), request.query, pageWindow(request.query)),
  );
  app.get(
    '/students/:id/grades',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary: "A student's grades (the student and parents: posted only)",
        params: IdParams,
        querystring: StudentGradesQuery,
        response: { 200: PageOf(GradeListItem), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      svc.studentGrades(db, contextOf(request), request.params.id, request.query, pageWindow(request.query)),
  );
  app.get(
    '/students/:id/performance',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary: 'Per class: marks, percentage, letter and rank in class (ties share a rank)',
        params: IdParams,
        response: { 200: DataOf(Performance), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.performance(db, contextOf(request), request.params.id) }),
  );

  app.get(
    '/students/:id/report-card',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary: 'Report card of one term (posted grades, SGPA, CGPA) as PDF, or JSON',
        params: IdParams,
        querystring: ReportCardQuery,
        response: { 200: pdfOr(ReportCard), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const r = await svc.reportCard(
        db,
        contextOf(request),
        request.params.id,
        request.query.academic_session_id,
      );
      if (wantsJson(request.headers.accept))
        return reply.type('application/json').send(JSON.stringify({ data: r }));
      const pdf = await reportCardPdf(r);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="report-card-${r.student.student_number}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
  app.get(
    '/students/:id/transcript',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary: 'Transcript: every term with SGPA, transfer credit, CGPA and credits, as PDF, or JSON',
        params: IdParams,
        response: { 200: pdfOr(Transcript), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const r = await svc.transcript(db, contextOf(request), request.params.id);
      if (wantsJson(request.headers.accept))
        return reply.type('application/json').send(JSON.stringify({ data: r }));
      const pdf = await transcriptPdf(r);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="transcript-${r.student.student_number}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  app.get(
    '/reports/honor-roll',
    {
      config: { permission: 'reports:honor_roll' },
      schema: {
        tags: ['grades', 'reports'],
        summary: "A term's honor roll: students at or above the organization's SGPA threshold, ranked",
        querystring: HonorRollQuery,
        response: {
          200: Type.Object({ data: Type.Array(HonorRollEntry), meta: PageMeta, threshold: Type.Number() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => svc.honorRoll(db, contextOf(request), request.query, pageWindow(request.query)),
  );
};
