import type { FastifyReply } from 'fastify';
import { contextOf, type RequestContext } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { sendTable, spreadsheetResponse } from '../../kernel/spreadsheet.js';
import {
  CreatePayment,
  IdempotencyHeaders,
  ListPaymentsQuery,
  Payment,
  RecordExternalPayment,
  RefundBody,
  RefundResult,
  SelfPayment,
} from './finance.schemas.js';
import * as payments from './finance-payments.service.js';
import { receiptPdf } from './finance-receipts.service.js';
import { refund } from './finance-refunds.service.js';
import { DefaultersQuery, PendingQuery, ReportPageOf, StudentBalance } from './finance-reports.schemas.js';
import { checkReportScope, financeReport, financeReportFile } from './finance-reports.service.js';

const tags = ['fees'];
const payResponses = { 201: DataOf(Payment), ...errorResponses(400, 401, 403, 404, 409, 422) };

export const financePaymentsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  /** The three payment endpoints share one use case; the Idempotency-Key header is required by schema. */
  const pay = async (
    source: payments.PaymentSource,
    request: { headers: { 'idempotency-key': string }; body: payments.PayInput },
    reply: { status(code: number): unknown; header(name: string, value: string): unknown },
    ctx: RequestContext,
  ) => {
    const r = await payments.pay(db, ctx, source, request.body, String(request.headers['idempotency-key']));
    reply.status(r.status);
    if (r.replayed) reply.header('idempotent-replayed', 'true');
    return r.body;
  };

  app.post(
    '/fee-payments',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Record a fee payment (finance desk); Idempotency-Key required',
        description: 'A repeat with the same Idempotency-Key returns the first result without paying twice.',
        headers: IdempotencyHeaders,
        body: CreatePayment,
        response: payResponses,
      },
    },
    async (request, reply) => pay('desk', request, reply, contextOf(request)),
  );

  app.post(
    '/finance/record-payment',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags: ['finance'],
        summary: 'Record a payment received outside the system (bank, gateway); Idempotency-Key required',
        headers: IdempotencyHeaders,
        body: RecordExternalPayment,
        response: payResponses,
      },
    },
    async (request, reply) => pay('external', request, reply, contextOf(request)),
  );

  app.post(
    '/students/me/payments',
    {
      config: { permission: 'fees:self' },
      schema: {
        tags,
        summary: 'Pay your own dues (never more than you owe); Idempotency-Key required',
        headers: IdempotencyHeaders,
        body: SelfPayment,
        response: payResponses,
      },
    },
    async (request, reply) => pay('self', request, reply, contextOf(request)),
  );

  app.post(
    '/students/:id/payments',
    {
      config: { permission: 'fees:guardian' },
      schema: {
        tags,
        summary:
          "A parent or guardian pays a linked child's dues (never more than owed); Idempotency-Key required",
        description:
          'Only a child linked to the signed-in guardian: any other student answers 404. A repeat with the same Idempotency-Key returns the first result without paying twice.',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: SelfPayment,
        response: payResponses,
      },
    },
    async (request, reply) =>
      pay(
        'guardian',
        { headers: request.headers, body: { ...request.body, student_id: request.params.id } },
        reply,
        contextOf(request),
      ),
  );

  app.get(
    '/fee-payments',
    {
      config: { permission: 'fees:read' },
      schema: {
        tags,
        summary: 'List payments you may see (desk: your organizations; students: own; parents: children)',
        querystring: ListPaymentsQuery,
        response: { 200: PageOf(Payment), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return payments.listPayments(db, contextOf(request), q, pageWindow(q));
    },
  );

  /** JSON, or with `format=csv|xlsx` every row as a streamed file (the reports' kernel helpers). */
  const listResponse = {
    200: {
      description: 'One page (JSON), or every matching row (CSV / XLSX) as an attachment',
      content: {
        'application/json': { schema: ReportPageOf(StudentBalance) },
        ...spreadsheetResponse.content,
      },
    },
    ...errorResponses(400, 401, 403, 404),
  };
  const fileNote =
    ' With `format=csv` or `format=xlsx`, every matching row (the JSON fields, in the same order, no paging) ' +
    'as a streamed file (text cells starting with = + - @, tab or CR are prefixed with a single quote so ' +
    'spreadsheet programs never run them as formulas). An organization_id or class_id outside your ' +
    'finance-desk scope answers 404.';

  app.get(
    '/fee-payments/pending',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Students with unpaid or partly paid dues (JSON, CSV or XLSX)',
        description: `Largest balance first.${fileNote}`,
        querystring: PendingQuery,
        response: listResponse,
      },
    },
    async (request, typedReply) => {
      // A file is a stream; the typed reply only knows the documented JSON body.
      const reply: FastifyReply = typedReply;
      const { format, ...q } = request.query;
      const ctx = contextOf(request);
      await checkReportScope(db, ctx, q);
      const f = { ...q, dues_status: q.payment_status };
      if (format === 'csv' || format === 'xlsx') {
        return sendTable(reply, format, 'pending-dues', (fmt) =>
          financeReportFile(db, ctx, 'pending', f, fmt),
        );
      }
      return financeReport(db, ctx, 'pending', f, pageWindow(q));
    },
  );

  app.get(
    '/fee-payments/defaulters',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Students with dues past their due date (JSON, CSV or XLSX)',
        description: `Longest overdue first.${fileNote}`,
        querystring: DefaultersQuery,
        response: listResponse,
      },
    },
    async (request, typedReply) => {
      const reply: FastifyReply = typedReply;
      const { format, ...q } = request.query;
      const ctx = contextOf(request);
      await checkReportScope(db, ctx, q);
      if (format === 'csv' || format === 'xlsx') {
        return sendTable(reply, format, 'defaulters', (fmt) =>
          financeReportFile(db, ctx, 'defaulters', q, fmt),
        );
      }
      return financeReport(db, ctx, 'defaulters', q, pageWindow(q));
    },
  );

  app.post(
    '/fee-payments/refund',
    {
      config: { permission: 'finance:manage' },
      schema: {
        tags,
        summary: 'Refund part or all of a payment (never more than it has left); Idempotency-Key required',
        description:
          'A repeat with the same Idempotency-Key returns the first result (`idempotent-replayed: true`) ' +
          'instead of refunding twice; the key with a different request is 422 idempotency_key_reused.',
        headers: IdempotencyHeaders,
        body: RefundBody,
        response: { 201: DataOf(RefundResult), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const r = await refund(db, contextOf(request), request.body, request.headers['idempotency-key']);
      reply.status(201); // a replay returns the stored 201 of the first refund
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return r.body;
    },
  );

  app.get(
    '/fee-payments/:id',
    {
      config: { permission: 'fees:read' },
      schema: {
        tags,
        summary: 'Get one payment',
        params: IdParams,
        response: { 200: DataOf(Payment), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await payments.getPayment(db, contextOf(request), request.params.id),
    }),
  );

  app.get(
    '/fee-payments/:id/receipt',
    {
      config: { permission: 'fees:read' },
      schema: {
        tags,
        summary: 'Download the PDF receipt of a payment',
        params: IdParams,
        response: {
          200: {
            description: 'The receipt as a PDF document',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const r = await receiptPdf(db, contextOf(request), request.params.id);
      reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${r.filename}"`)
        .header('cache-control', 'private, no-store');
      // A PDF body, not the JSON of a schema: send it through the untyped reply.
      return (reply as FastifyReply).send(r.pdf);
    },
  );
};
