import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import { badRequest } from '../../kernel/errors.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  Assessment,
  BULK_MARKS_DESCRIPTION,
  ExamMarks,
  ListAssessmentsQuery,
  Mark,
  MarksResult,
  StudentMark,
} from './grades-gradebook.schemas.js';
import * as svc from './grades-gradebook.service.js';
import * as marks from './grades-marks.service.js';

/** Seed 002's exam-marks endpoints, aliases over the gradebook (an exam is an assessment). */
export const examMarksRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;
  // Seed 002 aliases on the same data. `/exams/{id}` paths otherwise belong to exam schedules (exams module):
  // only these three are gradebook paths, and their {id} is an assessment id.
  const examTags = ['gradebook', 'exams'];
  app.post(
    '/exams/marks',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags: examTags,
        summary: 'Seed 002: submit marks of many students for an exam (an assessment)',
        description: BULK_MARKS_DESCRIPTION,
        body: ExamMarks,
        response: { 200: DataOf(MarksResult), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const id = request.body.assessment_id ?? request.body.exam_id;
      if (
        !id ||
        (request.body.assessment_id &&
          request.body.exam_id &&
          request.body.assessment_id !== request.body.exam_id)
      ) {
        throw badRequest('Give the exam as exam_id or assessment_id', [
          { field: 'exam_id', message: 'exactly one assessment is required' },
        ]);
      }
      return {
        data: await marks.saveMarks(db, contextOf(request), id, marks.toMarkRows(request.body.marks)),
      };
    },
  );
  app.get(
    '/exams/:id/marks',
    {
      config: { permission: 'gradebook:read' },
      schema: {
        tags: examTags,
        summary: 'Seed 002: every mark of an exam ({id} = assessment id)',
        params: IdParams,
        response: { 200: DataOf(Type.Array(Mark)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await marks.listMarks(db, contextOf(request), request.params.id) }),
  );
  app.get(
    '/exams/teacher/:id',
    {
      config: { permission: 'gradebook:read' },
      schema: {
        tags: examTags,
        summary:
          'Seed 002: exam-type assessments (exam, midterm, final) created by a teacher ({id} = faculty id)',
        params: IdParams,
        querystring: ListAssessmentsQuery,
        response: { 200: PageOf(Assessment), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      svc.examsOfTeacher(db, contextOf(request), request.params.id, request.query, pageWindow(request.query)),
  );
  app.post(
    '/students/marks',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags: examTags,
        summary: "Seed 002: record one student's mark for an assessment",
        body: StudentMark,
        response: { 200: DataOf(Mark), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const { assessment_id, exam_id, ...m } = request.body;
      const id = assessment_id ?? exam_id;
      if (!id)
        throw badRequest('assessment_id is required', [{ field: 'assessment_id', message: 'is required' }]);
      await marks.saveMarks(db, ctx, id, marks.toMarkRows([m], ''), '');
      return { data: await marks.getMark(db, id, m.student_id) };
    },
  );
};
