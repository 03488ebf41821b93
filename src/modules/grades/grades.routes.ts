import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  BulkGrades,
  Cgpa,
  CgpaQuery,
  CreateTransferGrade,
  Grade,
  GradeChange,
  GradeInput,
  GradeListItem,
  ListChangesQuery,
  ListGradesQuery,
  ListTransferQuery,
  Publish,
  PublishResult,
  Sgpa,
  SgpaQuery,
  TransferGrade,
  UpdateGrade,
} from './grades.schemas.js';
import * as svc from './grades.service.js';
import * as bulk from './grades-bulk.service.js';
import { listChanges } from './grades-changes.service.js';
import { publish } from './grades-publish.service.js';
import { cgpa, sgpa } from './grades-results.service.js';
import { createTransfer, deleteTransfer, listTransfers } from './grades-transfer.service.js';

const tags = ['grades'];

/** Course grades, publishing, the change log, SGPA/CGPA and transfer grades. */
export const gradesRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/grades/calculate-sgpa',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary: 'SGPA of a student for one term (posted grades, credit-weighted)',
        querystring: SgpaQuery,
        response: { 200: DataOf(Sgpa), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await sgpa(db, contextOf(request), request.query.student_id, request.query.semester),
    }),
  );
  app.get(
    '/grades/calculate-cgpa',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary:
          'CGPA of a student (posted grades + transfer grades marked for the GPA; repeat policy of the organization)',
        querystring: CgpaQuery,
        response: { 200: DataOf(Cgpa), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { student: _s, ...r } = await cgpa(db, contextOf(request), request.query.student_id);
      return { data: r };
    },
  );
  app.get(
    '/grades/changes',
    {
      config: { permission: 'grades:audit' },
      schema: {
        tags,
        summary: 'The change log of posted grades (old and new value, reason, who, when)',
        querystring: ListChangesQuery,
        response: { 200: PageOf(GradeChange), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listChanges(db, contextOf(request), request.query, pageWindow(request.query)),
  );
  app.post(
    '/grades/publish',
    {
      config: { permission: 'grades:publish' },
      schema: {
        tags,
        summary: "Publish a class's or a term's grades: frozen copies the students and parents then see",
        body: Publish,
        response: { 200: DataOf(PublishResult), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await publish(db, contextOf(request), request.body) }),
  );
  app.post(
    '/grades/bulk',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags,
        summary: 'Create or replace many draft grades (all or nothing)',
        body: BulkGrades,
        response: { 200: DataOf(Type.Array(Grade)), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({ data: await bulk.bulkGrades(db, contextOf(request), request.body.grades) }),
  );

  app.get(
    '/grades',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary: 'List grades (students and parents: posted grades only)',
        querystring: ListGradesQuery,
        response: { 200: PageOf(GradeListItem), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listGrades(db, contextOf(request), request.query, pageWindow(request.query)),
  );
  app.post(
    '/grades',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags,
        summary: 'Submit a draft grade (percent, letter, or computed from the gradebook)',
        body: GradeInput,
        response: { 201: DataOf(Grade), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createGrade(db, contextOf(request), request.body) };
    },
  );
  app.get(
    '/grades/:id',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary: 'Get one grade (an unposted grade is 404 for students and parents)',
        params: IdParams,
        response: { 200: DataOf(Grade), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getGrade(db, contextOf(request), request.params.id) }),
  );
  app.put(
    '/grades/:id',
    {
      config: { permission: 'gradebook:write' },
      schema: {
        tags,
        summary: 'Change a grade (a posted one needs a reason; the change log keeps the old value)',
        params: IdParams,
        body: UpdateGrade,
        response: { 200: DataOf(Grade), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({
      data: await svc.updateGrade(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.post(
    '/transfer-grades',
    {
      config: { permission: 'transfer_grades:write' },
      schema: {
        tags,
        summary: 'Record credits from a prior school',
        body: CreateTransferGrade,
        response: { 201: DataOf(TransferGrade), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await createTransfer(db, contextOf(request), request.body) };
    },
  );
  app.get(
    '/transfer-grades',
    {
      config: { permission: 'grades:read' },
      schema: {
        tags,
        summary: 'List transfer grades of the students whose record you may read',
        querystring: ListTransferQuery,
        response: { 200: PageOf(TransferGrade), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listTransfers(db, contextOf(request), request.query, pageWindow(request.query)),
  );
  app.delete(
    '/transfer-grades/:id',
    {
      config: { permission: 'transfer_grades:write' },
      schema: {
        tags,
        summary: 'Delete a transfer grade',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteTransfer(db, contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
