import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses, IdParams } from '../../kernel/schemas.js';
import {
  Dashboard,
  DashboardQuery,
  District,
  EmptyQuery,
  Trends,
  TrendsQuery,
} from './reports-analytics.schemas.js';
import * as svc from './reports-analytics.service.js';

const tags = ['analytics'];
const fast =
  ' Read from summaries that triggers keep exact in the same transaction as every change (see ' +
  'docs/reports.md), so the cost follows the number of organizations, not of students.';

export const reportsAnalyticsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/analytics/dashboard',
    {
      config: { permission: 'analytics:read' },
      schema: {
        tags,
        summary: 'Dashboard: counts, fees collected, hostel occupancy, per school; office figures',
        description:
          'Seed 004’s counts (students, faculty, departments, programs, courses, active enrollments, fees ' +
          'collected, books, hostel occupancy) for your scope and per school, plus seed 003’s office ' +
          'figures (registers, users, personnel by status, month over month) when you use personnel ' +
          `registers (\`office\`, as \`GET /analytics/personnel/dashboard\`; null otherwise).${fast}`,
        querystring: DashboardQuery,
        response: { 200: DataOf(Dashboard), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.dashboard(db, contextOf(request), request.query) }),
  );

  app.get(
    '/analytics/trends',
    {
      config: { permission: 'analytics:read' },
      schema: {
        tags,
        summary: 'Monthly trends: enrollments, attendance rate and fees collected',
        description: `The last \`months\` months (1–60, default 12, UTC), oldest first, zero-filled.${fast}`,
        querystring: TrendsQuery,
        response: { 200: DataOf(Trends), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.trends(db, contextOf(request), request.query) }),
  );

  app.get(
    '/analytics/district/:id',
    {
      config: { permission: 'analytics:read' },
      schema: {
        tags,
        summary: 'District view: per school students, teachers, attendance rate, average marks, fees',
        description:
          'Seed 002’s district dashboard: every school below the organization, by name, and the total over ' +
          `its whole subtree. An organization outside your scope answers 404.${fast}`,
        params: IdParams,
        querystring: EmptyQuery,
        response: { 200: DataOf(District), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.district(db, contextOf(request), request.params.id) }),
  );
};
