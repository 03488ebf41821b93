import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses, IdParams } from '../../kernel/schemas.js';
import {
  CourseScale,
  CreateScale,
  GradeSettings,
  GradingScale,
  ListScalesQuery,
  OrgParams,
  PutGradeSettings,
  SetCourseScale,
  UpdateScale,
} from './grades-scales.schemas.js';
import * as svc from './grades-scales.service.js';
import * as settings from './grades-settings.service.js';

const tags = ['grading-scales'];

/** Grading scales, the per-course override and the organization's grading settings. */
export const scalesRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/grading-scales',
    {
      config: { permission: 'grading_scales:read' },
      schema: {
        tags,
        summary: 'Built-in scales and those of your organizations',
        querystring: ListScalesQuery,
        response: { 200: DataOf(Type.Array(GradingScale)), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({
      data: await svc.listScales(db, contextOf(request), request.query.organization_id),
    }),
  );
  app.post(
    '/grading-scales',
    {
      config: { permission: 'grading_scales:write' },
      schema: {
        tags,
        summary: "Define an organization's own grading scale",
        body: CreateScale,
        response: { 201: DataOf(GradingScale), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createScale(db, contextOf(request), request.body) };
    },
  );
  app.get(
    '/grading-scales/:id',
    {
      config: { permission: 'grading_scales:read' },
      schema: {
        tags,
        summary: 'Get one grading scale',
        params: IdParams,
        response: { 200: DataOf(GradingScale), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: svc.toGradingScale(await svc.getScale(db, contextOf(request), request.params.id)),
    }),
  );
  app.put(
    '/grading-scales/:id',
    {
      config: { permission: 'grading_scales:write' },
      schema: {
        tags,
        summary: 'Change a scale (posted grades keep their frozen values)',
        params: IdParams,
        body: UpdateScale,
        response: { 200: DataOf(GradingScale), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({
      data: await svc.updateScale(db, contextOf(request), request.params.id, request.body),
    }),
  );
  app.delete(
    '/grading-scales/:id',
    {
      config: { permission: 'grading_scales:write' },
      schema: {
        tags,
        summary: 'Delete a scale no grade or course uses',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await svc.deleteScale(db, contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/courses/:id/grading-scale',
    {
      config: { permission: 'grading_scales:read' },
      schema: {
        tags,
        summary: "The course's effective grading scale and where it comes from",
        params: IdParams,
        response: { 200: DataOf(CourseScale), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.courseScale(db, contextOf(request), request.params.id) }),
  );
  app.put(
    '/courses/:id/grading-scale',
    {
      config: { permission: 'grading_scales:write' },
      schema: {
        tags,
        summary: 'Override the grading scale of a course',
        params: IdParams,
        body: SetCourseScale,
        response: { 200: DataOf(CourseScale), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.setCourseScale(
        db,
        contextOf(request),
        request.params.id,
        request.body.grading_scale_id,
      ),
    }),
  );
  app.delete(
    '/courses/:id/grading-scale',
    {
      config: { permission: 'grading_scales:write' },
      schema: {
        tags,
        summary: "Remove the course's override (the organization default applies)",
        params: IdParams,
        response: { 200: DataOf(CourseScale), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.clearCourseScale(db, contextOf(request), request.params.id) }),
  );

  app.get(
    '/grade-settings/:organization_id',
    {
      config: { permission: 'grading_scales:read' },
      schema: {
        tags,
        summary: "The organization's effective grading settings (nearest on its path)",
        params: OrgParams,
        response: { 200: DataOf(GradeSettings), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await settings.getSettings(db, contextOf(request), request.params.organization_id),
    }),
  );
  app.put(
    '/grade-settings/:organization_id',
    {
      config: { permission: 'grades:settings' },
      schema: {
        tags,
        summary: 'Set default scale, repeat policy (best | latest) and honor-roll threshold',
        params: OrgParams,
        body: PutGradeSettings,
        response: { 200: DataOf(GradeSettings), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await settings.putSettings(db, contextOf(request), request.params.organization_id, request.body),
    }),
  );
};
