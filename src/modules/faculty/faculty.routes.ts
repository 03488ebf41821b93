import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  emptyMultipartBody,
  imageResponse,
  PhotoResult,
  PhotoUploadBody,
  registerPhotoUploads,
  uploadedFile,
} from '../students/index.js';
import {
  CreateFaculty,
  DepartmentFaculty,
  DepartmentSubPageQuery,
  Faculty,
  ListFacultyQuery,
  UpdateFaculty,
} from './faculty.schemas.js';
import * as svc from './faculty.service.js';

const tags = ['faculty'];

export const facultyRoutes: RoutePlugin = async (app) => {
  const deps = app.deps;
  const { db } = deps;
  await registerPhotoUploads(app);

  app.post(
    '/faculty',
    {
      config: { permission: 'faculty:write' },
      schema: {
        tags,
        summary: 'Register a faculty member (creates the login user with the faculty role)',
        body: CreateFaculty,
        response: { 201: DataOf(Faculty), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createFaculty(deps, contextOf(request), request.body) };
    },
  );

  app.get(
    '/faculty',
    {
      config: { permission: 'faculty:read' },
      schema: {
        tags,
        summary: 'List faculty in your organizations',
        querystring: ListFacultyQuery,
        response: { 200: PageOf(Faculty), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listFaculty(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/faculty/me',
    {
      config: { permission: 'faculty:self' },
      schema: {
        tags,
        summary: "The signed-in teacher's own faculty record",
        response: { 200: DataOf(Faculty), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getOwnFaculty(db, contextOf(request)) }),
  );

  app.get(
    '/faculty/:id',
    {
      config: { permission: 'faculty:read' },
      schema: {
        tags,
        summary: 'Get one faculty member',
        params: IdParams,
        response: { 200: DataOf(Faculty), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getFaculty(db, contextOf(request), request.params.id) }),
  );

  for (const method of ['patch', 'put'] as const) {
    app[method](
      '/faculty/:id',
      {
        config: { permission: 'faculty:write' },
        schema: {
          tags,
          summary:
            method === 'patch'
              ? 'Update a faculty member (only the fields given change)'
              : 'Deprecated: use PATCH (this PUT changes only the fields given, like PATCH)',
          deprecated: method === 'put',
          params: IdParams,
          body: UpdateFaculty,
          response: { 200: DataOf(Faculty), ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => ({
        data: await svc.updateFaculty(db, contextOf(request), request.params.id, request.body),
      }),
    );
  }

  app.delete(
    '/faculty/:id',
    {
      config: { permission: 'faculty:write' },
      schema: {
        tags,
        summary: 'Soft-delete a faculty member (status inactive; teaching history kept)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await svc.deleteFaculty(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );

  app.get(
    '/departments/:id/faculty',
    {
      config: { permission: 'academics:read' },
      schema: {
        tags: ['departments'],
        summary: "List the department's faculty",
        params: IdParams,
        querystring: DepartmentSubPageQuery,
        response: { 200: PageOf(DepartmentFaculty), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      svc.listDepartmentFaculty(db, contextOf(request), request.params.id, pageWindow(request.query)),
  );

  app.post(
    '/faculty/:id/upload-photo',
    {
      config: { permission: 'faculty:photo' },
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
      return { data: await svc.setFacultyPhoto(deps, ctx, request.params.id, file) };
    },
  );

  app.get(
    '/faculty/:id/photo',
    {
      config: { permission: 'faculty:read' },
      schema: {
        tags,
        summary: "The faculty member's photo",
        params: IdParams,
        response: { 200: imageResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const p = await svc.getFacultyPhoto(deps, contextOf(request), request.params.id);
      reply.type(p.contentType).header('cache-control', 'private, max-age=300');
      return reply.send(p.stream);
    },
  );
};
