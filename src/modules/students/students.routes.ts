import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import { Job, jobOrganization } from '../../kernel/jobs.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { spreadsheetResponse } from '../../kernel/spreadsheet.js';
import {
  CreateStudent,
  CreateStudentAccount,
  DepartmentStudent,
  DepartmentSubPageQuery,
  ExportStudentsQuery,
  ListStudentsQuery,
  SearchStudentsQuery,
  Student,
  StudentHit,
  UpdateStudent,
} from './students.schemas.js';
import * as svc from './students.service.js';
import * as accounts from './students-accounts.service.js';
import * as exporter from './students-export.service.js';
import * as photos from './students-photo.service.js';
import {
  emptyMultipartBody,
  imageResponse,
  PhotoResult,
  PhotoUploadBody,
  registerPhotoUploads,
  uploadedFile,
} from './students-upload.routes.js';

const tags = ['students'];

export const studentsRoutes: RoutePlugin = async (app) => {
  const deps = app.deps;
  const { db } = deps;
  await registerPhotoUploads(app);

  app.post(
    '/students',
    {
      config: { permission: 'students:write' },
      schema: {
        tags,
        summary: 'Register a student (with an email, its login user in the same transaction)',
        body: CreateStudent,
        response: { 201: DataOf(Student), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createStudent(deps, contextOf(request), request.body) };
    },
  );

  app.post(
    '/students/:id/account',
    {
      config: { permission: 'students:write' },
      schema: {
        tags,
        summary: 'Add a login account to a student who has none',
        description:
          'Students may be stored without a login (young children, families sharing one email). This ' +
          'creates the login user (student role in the student’s organization) later: `email` defaults to ' +
          'the student’s, `username` to `<organization code>.<student number>`; without a password a setup ' +
          'code is emailed. 409 `student_has_login` when the student has one; 409 `conflict` naming the ' +
          'username or email that is taken.',
        params: IdParams,
        body: CreateStudentAccount,
        response: { 201: DataOf(Student), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const out = await accounts.createStudentAccount(
        deps,
        contextOf(request),
        request.params.id,
        request.body,
      );
      reply.status(201);
      return { data: svc.toStudent(out.row) };
    },
  );

  app.get(
    '/students',
    {
      config: { permission: 'students:read' },
      schema: {
        tags,
        summary: 'List the students you may see, with filters and search',
        querystring: ListStudentsQuery,
        response: { 200: PageOf(Student), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listStudents(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/students/search',
    {
      config: { permission: 'students:read' },
      schema: {
        tags,
        summary: 'Quick search by name, student number or email (best matches first)',
        querystring: SearchStudentsQuery,
        response: { 200: DataOf(Type.Array(StudentHit)), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return { data: await svc.searchStudents(db, contextOf(request), q.q, q.limit ?? 20) };
    },
  );

  app.get(
    '/students/export',
    {
      config: { permission: 'students:export' },
      schema: {
        tags,
        summary: 'Export the filtered student list as CSV or XLSX (streamed)',
        description:
          'Streams every matching student in list order. Text cells starting with = + - @, tab or CR are ' +
          'prefixed with a single quote so spreadsheet programs never run them as formulas.',
        querystring: ExportStudentsQuery,
        response: {
          200: spreadsheetResponse,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, typedReply) => {
      // The file is a stream; the typed reply only knows the documented string body.
      const reply: FastifyReply = typedReply;
      const q = request.query;
      const ctx = contextOf(request);
      const stamp = new Date().toISOString().slice(0, 10);
      if (q.format === 'xlsx') {
        reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="students-${stamp}.xlsx"`);
        return reply.send(exporter.exportXlsx(db, ctx, q));
      }
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="students-${stamp}.csv"`);
      return reply.send(exporter.exportCsv(db, ctx, q));
    },
  );

  app.post(
    '/students/export/jobs',
    {
      config: { permission: 'students:export' },
      schema: {
        tags,
        summary: 'Export the filtered student list as a background job (CSV or XLSX)',
        description:
          'The same file as GET /students/export, produced in the background: answers 202 with the job ' +
          '(Location: /api/v1/jobs/{id}). Follow it with GET /jobs/{id}; you are notified when it is ' +
          'ready, then GET /jobs/{id}/download. See docs/jobs.md.',
        // The same format and filters as GET /students/export, as a JSON body.
        body: ExportStudentsQuery,
        response: { 202: DataOf(Job), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const job = await deps.jobs.enqueue(ctx, {
        kind: 'students.export',
        organizationId: jobOrganization(ctx, 'students:export')!,
        params: { format: 'csv', ...request.body },
      });
      reply.status(202).header('location', `/api/v1/jobs/${job.id}`);
      return { data: job };
    },
  );

  app.get(
    '/departments/:id/students',
    {
      config: { permission: 'academics:read' },
      schema: {
        tags: ['departments'],
        summary: "List the department's students you may see",
        params: IdParams,
        querystring: DepartmentSubPageQuery,
        response: { 200: PageOf(DepartmentStudent), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      svc.listDepartmentStudents(db, contextOf(request), request.params.id, pageWindow(request.query)),
  );

  app.get(
    '/students/me',
    {
      config: { permission: 'students:self' },
      schema: {
        tags,
        summary: "The signed-in student's own profile",
        response: { 200: DataOf(Student), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getOwnStudent(db, contextOf(request)) }),
  );

  app.get(
    '/students/:id',
    {
      config: { permission: 'students:read' },
      schema: {
        tags,
        summary: 'Get one student',
        params: IdParams,
        response: { 200: DataOf(Student), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getStudent(db, contextOf(request), request.params.id) }),
  );

  for (const method of ['patch', 'put'] as const) {
    app[method](
      '/students/:id',
      {
        config: { permission: 'students:write' },
        schema: {
          tags,
          summary:
            method === 'patch'
              ? 'Update a student (only the fields given change)'
              : 'Deprecated: use PATCH (this PUT changes only the fields given, like PATCH)',
          deprecated: method === 'put',
          params: IdParams,
          body: UpdateStudent,
          response: { 200: DataOf(Student), ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => ({
        data: await svc.updateStudent(db, contextOf(request), request.params.id, request.body),
      }),
    );
  }

  app.delete(
    '/students/:id',
    {
      config: { permission: 'students:write' },
      schema: {
        tags,
        summary: 'Soft-delete a student (status inactive; history kept; gone from lists)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await svc.deleteStudent(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );

  app.post(
    '/students/:id/upload-photo',
    {
      config: { permission: 'students:photo' },
      preValidation: emptyMultipartBody,
      schema: {
        tags,
        summary: 'Upload the profile photo (JPEG, PNG or WebP by content, at most 5 MB)',
        consumes: ['multipart/form-data'],
        params: IdParams,
        body: PhotoUploadBody,
        response: { 200: DataOf(PhotoResult), ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const file = await uploadedFile(request);
      return { data: await photos.setStudentPhoto(deps, ctx, request.params.id, file) };
    },
  );

  app.get(
    '/students/:id/photo',
    {
      config: { permission: 'students:read' },
      schema: {
        tags,
        summary: "The student's photo",
        params: IdParams,
        response: { 200: imageResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const p = await photos.getStudentPhoto(deps, contextOf(request), request.params.id);
      reply.type(p.contentType).header('cache-control', 'private, max-age=300');
      return reply.send(p.stream);
    },
  );
};
