import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import * as S from './enrollments.schemas.js';
import * as svc from './enrollments.service.js';

const tags = ['enrollments'];
const rules =
  'Rules answer 422: prerequisite_not_met, class_full, already_enrolled, self_enrollment_not_allowed, class_inactive, student_inactive, organization_mismatch.';

export const enrollmentsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/enrollments',
    {
      config: { permission: 'enrollments:write' },
      schema: {
        tags,
        summary: 'Enroll a student in a class',
        description: `Managers enroll any student of their organizations; a student may enroll only themself, in a class that allows self-enrollment. ${rules}`,
        body: S.CreateEnrollment,
        response: { 201: DataOf(S.Enrollment), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createEnrollment(db, contextOf(request), request.body) };
    },
  );

  app.post(
    '/enrollments/bulk',
    {
      config: { permission: 'enrollments:manage' },
      schema: {
        tags,
        summary: `Enroll up to ${S.BULK_LIMIT} student/class pairs at once (all or nothing)`,
        description: rules,
        body: S.BulkEnroll,
        response: { 201: DataOf(Type.Array(S.Enrollment)), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.bulkEnroll(db, contextOf(request), request.body.enrollments) };
    },
  );

  app.get(
    '/enrollments',
    {
      config: { permission: 'enrollments:read' },
      schema: {
        tags,
        summary: 'List enrollments you may see (newest first)',
        querystring: S.ListEnrollmentsQuery,
        response: { 200: PageOf(S.EnrollmentListItem), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listEnrollments(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/enrollments/:id',
    {
      config: { permission: 'enrollments:read' },
      schema: {
        tags,
        summary: 'Get one enrollment',
        params: IdParams,
        response: { 200: DataOf(S.Enrollment), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.getEnrollment(db, contextOf(request), request.params.id),
    }),
  );

  app.put(
    '/enrollments/:id',
    {
      config: { permission: 'enrollments:manage' },
      schema: {
        tags,
        summary: 'Update an enrollment: drop or complete it, record the final grade',
        description:
          'status=dropped keeps the row with dropped_at; a dropped or completed enrollment cannot be re-opened (enroll again).',
        params: IdParams,
        body: S.UpdateEnrollment,
        response: { 200: DataOf(S.Enrollment), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({
      data: await svc.updateEnrollment(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/enrollments/:id',
    {
      config: { permission: 'enrollments:write' },
      schema: {
        tags,
        summary: 'Drop an enrollment (the row is kept with status dropped and dropped_at)',
        params: IdParams,
        querystring: S.DropQuery,
        response: { 200: DataOf(S.Enrollment), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({
      data: await svc.dropEnrollment(db, contextOf(request), request.params.id, request.query.reason ?? null),
    }),
  );

  app.post(
    '/students/enroll',
    {
      config: { permission: 'enrollments:self' },
      schema: {
        tags: ['students', ...tags],
        summary: 'Enroll yourself in a class that allows self-enrollment',
        description: rules,
        body: S.SelfEnroll,
        response: { 201: DataOf(S.Enrollment), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.selfEnroll(db, contextOf(request), request.body.class_id) };
    },
  );

  app.get(
    '/students/me/enrollments',
    {
      config: { permission: 'enrollments:self' },
      schema: {
        tags: ['students', ...tags],
        summary: 'Your own enrollments',
        querystring: S.StudentEnrollmentsQuery,
        response: { 200: PageOf(S.EnrollmentListItem), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.studentEnrollments(db, contextOf(request), 'me', q, pageWindow(q));
    },
  );

  app.get(
    '/students/:id/enrollments',
    {
      config: { permission: 'enrollments:read' },
      schema: {
        tags: ['students', ...tags],
        summary: "A student's enrollments (history included)",
        params: IdParams,
        querystring: S.StudentEnrollmentsQuery,
        response: { 200: PageOf(S.EnrollmentListItem), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.studentEnrollments(db, contextOf(request), request.params.id, q, pageWindow(q));
    },
  );
};
