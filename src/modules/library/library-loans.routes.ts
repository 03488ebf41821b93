import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, PageOf } from '../../kernel/schemas.js';
import {
  IssueBody,
  ListLoansQuery,
  Loan,
  LostBody,
  OverdueLoan,
  OverdueQuery,
  RenewBody,
  ReturnBody,
} from './library-loans.schemas.js';
import * as svc from './library-loans.service.js';

const tags = ['library'];

/** Circulation: issue, return, renew, and the issued / overdue lists. */
export const libraryLoansRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/library/issue',
    {
      config: { permission: 'library:manage' },
      schema: {
        tags,
        summary: 'Issue a book (by book_id or copy barcode) to a student, faculty or staff member',
        description:
          'Picks an available copy atomically (never lends a copy twice). A ready hold of the patron is ' +
          'honoured with its set-aside copy. `issue_date` in the past records a loan carried over from a ' +
          'paper register. 409 no_copy_available when every copy is out; 422 reference_not_loanable, ' +
          'loan_limit_reached.',
        body: IssueBody,
        response: { 201: DataOf(Loan), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.issue(db, contextOf(request), request.body) };
    },
  );

  app.put(
    '/library/return',
    {
      config: { permission: 'library:manage' },
      schema: {
        tags,
        summary: 'Return a loan (by loan_id or barcode); a late return creates the fine',
        description:
          "A student's fine is also a late_fine charge on the student ledger (fee desk). The copy goes to " +
          'the first waiting hold (ready for pickup, patron notified) or back to the shelf.',
        body: ReturnBody,
        response: { 200: DataOf(Loan), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ data: await svc.returnLoan(db, contextOf(request), request.body) }),
  );

  app.post(
    '/library/lost',
    {
      config: { permission: 'library:manage' },
      schema: {
        tags,
        summary: 'Declare the copy of an open loan lost (by loan_id or barcode), with a replacement charge',
        description:
          'Closes the loan today (status lost), marks the copy lost, charges the overdue fine up to today as ' +
          "a return would, and records the optional replacement charge — a student's as a charge on the " +
          'finance ledger. A copy found again is put back with PUT /library/copies/{id} {state: available}.',
        body: LostBody,
        response: { 200: DataOf(Loan), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ data: await svc.declareLost(db, contextOf(request), request.body) }),
  );

  app.post(
    '/library/renew',
    {
      config: { permission: 'library:borrow' },
      schema: {
        tags,
        summary: 'Renew a loan (desk, or the borrower their own)',
        description: '422 renewal_limit_reached, hold_waiting (someone reserved the book) or loan_overdue.',
        body: RenewBody,
        response: { 200: DataOf(Loan), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({ data: await svc.renew(db, contextOf(request), request.body) }),
  );

  app.get(
    '/library/issued',
    {
      config: { permission: 'library:loans' },
      schema: {
        tags,
        summary: "Loans (open by default): desk in scope, borrowers their own, parents their children's",
        querystring: ListLoansQuery,
        response: { 200: PageOf(Loan), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listIssued(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.get(
    '/library/overdue',
    {
      config: { permission: 'library:loans' },
      schema: {
        tags,
        summary: 'Overdue open loans with days overdue and the fine accrued so far',
        querystring: OverdueQuery,
        response: { 200: PageOf(OverdueLoan), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listOverdue(db, contextOf(request), request.query, pageWindow(request.query)),
  );
};
