import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses } from '../../kernel/schemas.js';
import { LibraryRule, PutRule, RulesQuery } from './library-rules.schemas.js';
import * as svc from './library-rules.service.js';

const tags = ['library'];

/** Circulation rules per organization and patron category. */
export const libraryRulesRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/library/rules',
    {
      config: { permission: 'library:oversee' },
      schema: {
        tags,
        summary: 'Effective circulation rules of an organization, per patron category',
        description:
          'Each category uses the nearest organization (itself, then its ancestors) that set a rule, else ' +
          'the built-in defaults (14 days, 5 loans, 2 renewals, no fine, 7 pickup days).',
        querystring: RulesQuery,
        response: { 200: DataOf(Type.Array(LibraryRule)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await svc.listRules(db, contextOf(request), request.query.organization_id),
    }),
  );

  app.put(
    '/library/rules',
    {
      config: { permission: 'library:configure' },
      schema: {
        tags,
        summary: "Set an organization's rule for one patron category (admin)",
        body: PutRule,
        response: { 200: DataOf(LibraryRule), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.putRule(db, contextOf(request), request.body) }),
  );
};
