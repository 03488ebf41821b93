import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams } from '../../kernel/schemas.js';
import {
  Adjustment,
  LedgerEntry,
  RevokeBody,
  Settings,
  SettingsQuery,
  StudentFeesPage,
  StudentFeesQuery,
  StudentIdParams,
  UpdateSettings,
} from './finance.schemas.js';
import * as ledger from './finance.service.js';
import {
  ContactBody,
  ContactResult,
  DuesQuery,
  ReportPageOf,
  StatusQuery,
  StatusRow,
  StudentBalance,
} from './finance-reports.schemas.js';
import { contactStudent, financeReport } from './finance-reports.service.js';
import { revokeAdjustment } from './finance-revocations.service.js';

const tags = ['finance'];

export const financeDeskRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/finance/dues',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Students with outstanding dues, largest first',
        querystring: DuesQuery,
        response: { 200: ReportPageOf(StudentBalance), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return financeReport(db, contextOf(request), 'dues', q, pageWindow(q));
    },
  );

  app.get(
    '/finance/unpaid-report',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Unpaid report: students owing money, most overdue first, with totals',
        querystring: DuesQuery,
        response: { 200: ReportPageOf(StudentBalance), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return financeReport(db, contextOf(request), 'unpaid', q, pageWindow(q));
    },
  );

  app.get(
    '/finance/reports/status',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Per student: paid in full or not (Pass/Fail)',
        querystring: StatusQuery,
        response: { 200: ReportPageOf(StatusRow), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return financeReport(db, contextOf(request), 'status', q, pageWindow(q));
    },
  );

  app.put(
    '/finance/action/contact/:student_id',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Log a contact action about dues (audited) and notify the student',
        params: StudentIdParams,
        body: ContactBody,
        response: { 200: DataOf(ContactResult), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await contactStudent(db, contextOf(request), request.params.student_id, request.body ?? {}),
    }),
  );

  app.post(
    '/finance/adjustments',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Grant a concession or waiver (admin) or add a late fine, with a reason',
        body: Adjustment,
        response: { 201: DataOf(LedgerEntry), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await ledger.adjust(db, contextOf(request), request.body) };
    },
  );

  app.post(
    '/finance/adjustments/:id/revoke',
    {
      config: { permission: 'finance:approve' },
      schema: {
        tags,
        summary: 'Revoke a concession or waiver (admin), with a reason: a revocation entry cancels it',
        description:
          'The ledger is append-only: a `revocation` entry of the same amount raises the balance again and ' +
          'names the entry it cancels (`reverses_entry_id`). Once per entry (409 `already_revoked`); a ' +
          'charge, payment or other entry is 422 `not_revocable`; an entry outside your organizations is 404.',
        params: IdParams,
        body: RevokeBody,
        response: { 201: DataOf(LedgerEntry), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await revokeAdjustment(db, contextOf(request), request.params.id, request.body.reason) };
    },
  );

  app.get(
    '/finance/settings',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: "An organization's effective finance settings",
        querystring: SettingsQuery,
        response: { 200: DataOf(Settings), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await ledger.getSettings(db, contextOf(request), request.query.organization_id),
    }),
  );

  app.put(
    '/finance/settings',
    {
      config: { permission: 'finance:approve' },
      schema: {
        tags,
        summary: 'Set refund deadline and payment due days for an organization (and its subtree)',
        body: UpdateSettings,
        response: { 200: DataOf(Settings), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await ledger.updateSettings(db, contextOf(request), request.body) }),
  );

  app.get(
    '/students/me/fees',
    {
      config: { permission: 'fees:self' },
      schema: {
        tags: ['fees'],
        summary: 'Your dues status and ledger history (newest first)',
        querystring: StudentFeesQuery,
        response: { 200: StudentFeesPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ledger.myFees(db, contextOf(request), request.query),
  );

  app.get(
    '/students/:id/fees',
    {
      config: { permission: 'fees:read' },
      schema: {
        tags: ['fees'],
        summary: "A student's ledger with balance (keyset pagination)",
        params: IdParams,
        querystring: StudentFeesQuery,
        response: { 200: StudentFeesPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ledger.studentFees(db, contextOf(request), request.params.id, request.query),
  );
};
