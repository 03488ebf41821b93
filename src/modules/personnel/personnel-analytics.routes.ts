import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses } from '../../kernel/schemas.js';
import { RegisterParams } from './personnel.schemas.js';
import { AnalyticsQuery, PersonnelDashboard, RegisterAnalytics } from './personnel-analytics.schemas.js';
import * as svc from './personnel-analytics.service.js';

const tags = ['analytics'];
const mom =
  'Each figure carries `previous` (its value at the end of the previous month, reconstructed from the ' +
  'status history and deletion times, not from creation dates) and the change.';

export const personnelAnalyticsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/analytics/personnel/register/:register_id',
    {
      config: { permission: 'personnel:read' },
      schema: {
        tags,
        summary: "A register's personnel by status, with month-over-month changes",
        description: mom,
        params: RegisterParams,
        querystring: AnalyticsQuery,
        response: { 200: DataOf(RegisterAnalytics), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.registerAnalytics(
        db,
        contextOf(request),
        request.params.register_id,
        request.query.as_of,
      ),
    }),
  );

  app.get(
    '/analytics/personnel/dashboard',
    {
      config: { permission: 'personnel:read' },
      schema: {
        tags,
        summary: 'Office dashboard: registers, users and personnel by status, with month-over-month changes',
        description: `${mom} This is the office part of \`GET /analytics/dashboard\`, which will include it.`,
        querystring: AnalyticsQuery,
        response: { 200: DataOf(PersonnelDashboard), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ data: await svc.personnelDashboard(db, contextOf(request), request.query.as_of) }),
  );
};
