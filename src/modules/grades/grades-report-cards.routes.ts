import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import { badRequest } from '../../kernel/errors.js';
import { Job } from '../../kernel/jobs.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses, Uuid } from '../../kernel/schemas.js';
import { checkReportCards } from './grades-report-cards.js';

const ReportCardsJob = Type.Object(
  {
    academic_session_id: Uuid('The term of the report cards'),
    class_id: Type.Optional(
      Uuid('One class: the report cards of its students (give this or organization_id)'),
    ),
    organization_id: Type.Optional(
      Uuid('One school: the report cards of its students and those of the organizations below it'),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        academic_session_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
        class_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5e',
      },
    ],
  },
);

export const reportCardsRoutes: RoutePlugin = async (app) => {
  const deps = app.deps;

  app.post(
    '/grades/report-cards/jobs',
    {
      config: { permission: 'grades:report_cards' },
      schema: {
        tags: ['grades'],
        summary:
          'All report cards of a class or a school for one term, as one ZIP of PDFs (a background job)',
        description:
          'Answers 202 with the job (Location: /api/v1/jobs/{id}); the ZIP holds one PDF per student with ' +
          'posted grades in the term (the PDF of GET /students/{id}/report-card). A class you teach or ' +
          'manage, or a school you manage; anything else answers 404. At most 10,000 report cards per run ' +
          '(422 too_many_report_cards); none to print answers 422 no_report_cards. See docs/jobs.md.',
        body: ReportCardsJob,
        response: { 202: DataOf(Job), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (Boolean(body.class_id) === Boolean(body.organization_id)) {
        throw badRequest('Give exactly one of class_id and organization_id', [
          { field: 'class_id', message: 'give class_id or organization_id, not both or neither' },
        ]);
      }
      const ctx = contextOf(request);
      const organizationId = await checkReportCards(deps.db, ctx, body);
      const job = await deps.jobs.enqueue(ctx, { kind: 'grades.report_cards', organizationId, params: body });
      reply.status(202).header('location', `/api/v1/jobs/${job.id}`);
      return { data: job };
    },
  );
};
