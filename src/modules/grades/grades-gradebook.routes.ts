import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf, Uuid } from '../../kernel/schemas.js';
import * as cats from './grades-categories.service.js';
import {
  Assessment,
  BULK_MARKS_DESCRIPTION,
  BulkMarks,
  Category,
  CreateAssessment,
  CreateCategory,
  Gradebook,
  ListAssessmentsQuery,
  ListCategoriesQuery,
  Mark,
  MarksResult,
  OneMark,
  UpdateAssessment,
  UpdateCategory,
} from './grades-gradebook.schemas.js';
import * as svc from './grades-gradebook.service.js';
import * as marks from './grades-marks.service.js';

const tags = ['gradebook'];
const MarkParams = Type.Object(
  { id: Uuid('Assessment'), student_id: Uuid('Student') },
  { additionalProperties: false },
);

/** Gradebook categories, assessments, marks and the running gradebook of a class. */
export const gradebookRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/assessment-categories',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags,
        summary: 'Add a weighted gradebook category to a class',
        body: CreateCategory,
        response: { 201: DataOf(Category), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await cats.createCategory(db, contextOf(request), request.body) };
    },
  );
  app.get(
    '/assessment-categories',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary: "List a class's gradebook categories",
        querystring: ListCategoriesQuery,
        response: { 200: DataOf(Type.Array(Category)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await cats.listCategories(db, contextOf(request), request.query.class_id) }),
  );
  app.put(
    '/assessment-categories/:id',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags,
        summary: 'Rename or re-weight a category',
        params: IdParams,
        body: UpdateCategory,
        response: { 200: DataOf(Category), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await cats.updateCategory(db, contextOf(request), request.params.id, request.body),
    }),
  );
  app.delete(
    '/assessment-categories/:id',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags,
        summary: 'Delete a category (its assessments become uncategorized)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await cats.deleteCategory(db, contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/assessments',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags,
        summary:
          'Create an assessment (quiz, assignment, midterm, final, exam, project, practical) in a class you teach',
        body: CreateAssessment,
        response: { 201: DataOf(Assessment), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createAssessment(db, contextOf(request), request.body) };
    },
  );
  app.get(
    '/assessments',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary: 'List assessments of the classes you may see',
        querystring: ListAssessmentsQuery,
        response: { 200: PageOf(Assessment), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listAssessments(db, contextOf(request), request.query, pageWindow(request.query)),
  );
  app.get(
    '/assessments/:id',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary: 'Get one assessment',
        params: IdParams,
        response: { 200: DataOf(Assessment), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getAssessment(db, contextOf(request), request.params.id) }),
  );
  app.put(
    '/assessments/:id',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags,
        summary: 'Update an assessment',
        params: IdParams,
        body: UpdateAssessment,
        response: { 200: DataOf(Assessment), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({
      data: await svc.updateAssessment(db, contextOf(request), request.params.id, request.body),
    }),
  );
  app.delete(
    '/assessments/:id',
    {
      config: { permission: 'gradebook:delete' },
      schema: {
        tags,
        summary: 'Delete an assessment and its marks (managers)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await svc.deleteAssessment(db, contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/assessments/:id/marks',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags,
        summary: 'Enter the marks of many students (a whole class) for an assessment',
        description: BULK_MARKS_DESCRIPTION,
        params: IdParams,
        body: BulkMarks,
        response: { 200: DataOf(MarksResult), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({
      data: await marks.saveMarks(
        db,
        contextOf(request),
        request.params.id,
        marks.toMarkRows(request.body.marks),
      ),
    }),
  );
  app.get(
    '/assessments/:id/marks',
    {
      config: { permission: 'gradebook:read' },
      schema: {
        tags,
        summary: 'Every mark of an assessment (teachers of the class, managers)',
        params: IdParams,
        response: { 200: DataOf(Type.Array(Mark)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await marks.listMarks(db, contextOf(request), request.params.id) }),
  );
  app.put(
    '/assessments/:id/marks/:student_id',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags,
        summary: "Edit one student's mark (a single gradebook cell)",
        description: 'Send expected_version to refuse (409) an edit over a change you have not seen.',
        params: MarkParams,
        body: OneMark,
        response: { 200: DataOf(Mark), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const { expected_version, ...m } = request.body;
      const [row] = marks.toMarkRows([{ ...m, student_id: request.params.student_id }], '');
      await marks.saveMarks(db, ctx, request.params.id, [{ ...row, expected_version }], '');
      return { data: await marks.getMark(db, request.params.id, request.params.student_id) };
    },
  );

  app.get(
    '/classes/:id/gradebook',
    {
      config: { permission: 'gradebook:read' },
      schema: {
        tags,
        summary: "A class's live gradebook: running percentage, letter and rank of every student",
        params: IdParams,
        response: { 200: DataOf(Gradebook), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await marks.gradebook(db, contextOf(request), request.params.id) }),
  );
};
