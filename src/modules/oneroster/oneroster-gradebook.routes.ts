import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { RoutePlugin } from '../../kernel/module.js';
import { principalOf, SCOPES } from './oneroster.policy.js';
import { OneOf, orErrors } from './oneroster.schemas.js';
import { classes } from './oneroster-collections.js';
import { orError } from './oneroster-errors.js';
import * as G from './oneroster-gradebook.collections.js';
import * as GS from './oneroster-gradebook.schemas.js';
import * as svc from './oneroster-gradebook.service.js';
import { readers } from './oneroster-kit.js';
import { baseOf, findRow } from './oneroster-query.js';

const tags = ['oneroster'];
const security = [{ bearerAuth: [] }];
const Params = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100, description: 'sourcedId' }) },
  { additionalProperties: false },
);

/** The gradebook service: categories, line items, results and score scales; grade passback writes. */
export const onerosterGradebookRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;
  const { list, one } = readers(app);
  const read = SCOPES.gradebookRead;
  const write = SCOPES.gradebookWrite;

  const collections = [
    ['categories', G.categories, GS.Category, 'gradebook categories (assessment categories)'],
    ['lineItems', G.lineItems, GS.LineItem, 'line items (assessments)'],
    ['results', G.results, GS.Result, 'results (marks)'],
    ['scoreScales', G.scoreScales, GS.ScoreScale, 'score scales (grading scales)'],
  ] as const;
  for (const [path, c, schema, what] of collections) {
    list({ path: `/${path}`, c, schema, scopes: read, summary: `All ${what}` });
    one(`/${path}/:id`, c, schema, read, `One of the ${what}`);
  }
  list({
    path: '/classes/:id/lineItems',
    c: G.lineItems,
    schema: GS.LineItem,
    scopes: read,
    summary: 'Line items of a class',
    parents: [{ c: classes, param: 'id' }],
    extra: ({ id }) => [sql`t.class_id = ${id}::uuid`],
  });
  list({
    path: '/classes/:id/categories',
    c: G.categories,
    schema: GS.Category,
    scopes: read,
    summary: 'Categories of a class',
    parents: [{ c: classes, param: 'id' }],
    extra: ({ id }) => [sql`t.class_id = ${id}::uuid`],
  });
  list({
    path: '/lineItems/:id/results',
    c: G.results,
    schema: GS.Result,
    scopes: read,
    summary: 'Results of a line item',
    parents: [{ c: G.lineItems, param: 'id' }],
    extra: ({ id }) => [sql`t.line_item_id = ${id}::uuid`],
  });

  const writeDoc = (what: string) =>
    `Scope \`${write[0]}\`. ${what} The API client acts as a manager of its organization subtree with the ` +
    "grades module's rules (enrolled students only, scores ≤ the line item's maximum, categories of the same " +
    'class); the audit rows name `api-client:<client_id>`.';

  app.put(
    '/lineItems/:id',
    {
      config: { permission: 'public', oneRosterScopes: write },
      schema: {
        tags,
        summary: 'Create or replace a line item (assessment)',
        description: writeDoc('Creates the assessment under this sourcedId, or updates it.'),
        security,
        params: Params,
        body: GS.PutLineItemBody,
        response: {
          200: OneOf('lineItem', GS.LineItem),
          201: OneOf('lineItem', GS.LineItem),
          ...orErrors(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const ctx = svc.clientContext(request, p);
      const out = await svc.putLineItem(db, ctx, p, request.params.id, request.body.lineItem);
      const row = await findRow(db, p, G.lineItems, out.id);
      if (!row) throw orError(404, 'unknownobject', `No lineItem ${out.id}`);
      reply.status(out.created ? 201 : 200);
      return { lineItem: G.lineItems.toJson(row, baseOf(request)) };
    },
  );

  app.post(
    '/classes/:id/lineItems',
    {
      config: { permission: 'public', oneRosterScopes: write },
      schema: {
        tags,
        summary: 'Create line items in a class',
        description: writeDoc('Creates each line item (under its sourcedId when given).'),
        security,
        params: Params,
        body: GS.PostLineItemsBody,
        response: { 201: GS.SourcedIdPairs, ...orErrors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const ctx = svc.clientContext(request, p);
      const pairs = await svc.postClassLineItems(db, ctx, p, request.params.id, request.body.lineItems);
      reply.status(201);
      return { sourcedIdPairs: pairs };
    },
  );

  app.put(
    '/results/:id',
    {
      config: { permission: 'public', oneRosterScopes: write },
      schema: {
        tags,
        summary: 'Create or replace a result (grade passback)',
        description: writeDoc('Writes the mark of the student on the line item.'),
        security,
        params: Params,
        body: GS.PutResultBody,
        response: {
          200: OneOf('result', GS.Result),
          201: OneOf('result', GS.Result),
          ...orErrors(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const ctx = svc.clientContext(request, p);
      const out = await svc.putResult(db, ctx, p, request.params.id, request.body.result);
      const row = await findRow(db, p, G.results, out.id);
      if (!row) throw orError(404, 'unknownobject', `No result ${out.id}`);
      reply.status(out.created ? 201 : 200);
      return { result: G.results.toJson(row, baseOf(request)) };
    },
  );

  app.post(
    '/lineItems/:id/results',
    {
      config: { permission: 'public', oneRosterScopes: write },
      schema: {
        tags,
        summary: 'Write the results of a line item (grade passback in bulk)',
        description: writeDoc('All results are written or none.'),
        security,
        params: Params,
        body: GS.PostResultsBody,
        response: { 201: GS.SourcedIdPairs, ...orErrors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const ctx = svc.clientContext(request, p);
      const pairs = await svc.postLineItemResults(db, ctx, request.params.id, request.body.results);
      reply.status(201);
      return { sourcedIdPairs: pairs };
    },
  );
};
