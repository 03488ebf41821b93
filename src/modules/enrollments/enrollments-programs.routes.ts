import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import * as S from './enrollments.schemas.js';
import * as pe from './enrollments-programs.service.js';

const tags = ['program-enrollments'];

export const programEnrollmentsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;
  app.get(
    '/program-enrollments/verify-eligibility',
    {
      config: { permission: 'program_enrollments:write' },
      schema: {
        tags,
        summary: 'Explain, check by check, whether a student may be admitted to a program',
        querystring: S.EligibilityQuery,
        response: { 200: DataOf(S.Eligibility), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await pe.verifyEligibility(db, contextOf(request), request.query) }),
  );
  app.post(
    '/program-enrollments',
    {
      config: { permission: 'program_enrollments:write' },
      schema: {
        tags,
        summary: 'Admit a student to a program (422 names the first failed eligibility check)',
        body: S.Admit,
        response: { 201: DataOf(S.ProgramEnrollment), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await pe.admit(db, contextOf(request), request.body) };
    },
  );
  app.get(
    '/program-enrollments',
    {
      config: { permission: 'program_enrollments:read' },
      schema: {
        tags,
        summary: 'List program admissions you may see',
        querystring: S.ListProgramEnrollmentsQuery,
        response: { 200: PageOf(S.ProgramEnrollment), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return pe.listProgramEnrollments(db, contextOf(request), q, pageWindow(q));
    },
  );
  app.get(
    '/program-enrollments/:id',
    {
      config: { permission: 'program_enrollments:read' },
      schema: {
        tags,
        summary: 'Get one program admission',
        params: IdParams,
        response: { 200: DataOf(S.ProgramEnrollment), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await pe.getProgramEnrollment(db, contextOf(request), request.params.id),
    }),
  );
  app.put(
    '/program-enrollments/:id',
    {
      config: { permission: 'program_enrollments:write' },
      schema: {
        tags,
        summary: 'Change the status (withdraw, suspend, complete) or batch of an admission',
        params: IdParams,
        body: S.UpdateProgramEnrollment,
        response: { 200: DataOf(S.ProgramEnrollment), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await pe.updateProgramEnrollment(db, contextOf(request), request.params.id, request.body),
    }),
  );
};
