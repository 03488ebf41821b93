import type { SQL } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import { type TSchema, Type } from 'typebox';
import type { RoutePlugin } from '../../kernel/module.js';
import { principalOf } from './oneroster.policy.js';
import * as S from './oneroster.schemas.js';
import type { Collection } from './oneroster-collections.js';
import { orError } from './oneroster-errors.js';
import {
  baseOf,
  CollectionQuery,
  FieldsQuery,
  findRow,
  getRecord,
  listCollection,
  pagingHeaders,
} from './oneroster-query.js';
import { streamCollection } from './oneroster-stream.js';

const tags = ['oneroster'];
const security = [{ bearerAuth: [] }];
const Id = Type.String({ minLength: 1, maxLength: 100, description: 'sourcedId' });
const OneParam = Type.Object({ id: Id }, { additionalProperties: false });
const TwoParams = Type.Object({ id: Id, classId: Id }, { additionalProperties: false });

export interface Parent {
  c: Collection;
  /** Which path parameter names the parent. */
  param: 'id' | 'classId';
}

export interface ListSpec {
  path: string;
  c: Collection;
  schema: TSchema;
  scopes: readonly string[];
  summary: string;
  parents?: Parent[];
  /** Predicates over the collection's rows `t` from the path parameters. */
  extra?: (p: { id: string; classId?: string }) => SQL[];
}

type App = Parameters<RoutePlugin>[0];

/** Registers OneRoster collection reads: `list` (a collection, maybe nested) and `one` (one record). */
export function readers(app: App) {
  const { db } = app.deps;
  const list = (s: ListSpec) => {
    const params = s.parents?.some((p) => p.param === 'classId')
      ? TwoParams
      : s.parents
        ? OneParam
        : undefined;
    app.get(
      s.path,
      {
        config: { permission: 'public', oneRosterScopes: s.scopes },
        schema: {
          tags,
          summary: s.summary,
          description:
            `Scopes: ${s.scopes.map((x) => `\`${x}\``).join(' or ')}. Paging with \`limit\`/\`offset\` ` +
            '(`X-Total-Count` and `Link` headers), `sort`/`orderBy`, `fields` and `filter`. Only records of ' +
            "the client's organization subtree; deleted records appear as `status: tobedeleted`.",
          security,
          ...(params ? { params } : {}),
          querystring: CollectionQuery,
          response: { 200: S.ListOf(s.c.plural, s.schema), ...S.orErrors(400, 401, 403, 404, 429) },
        },
      },
      async (request, typedReply) => {
        // A streamed page is a Readable; the typed reply only knows the documented JSON body.
        const reply: FastifyReply = typedReply;
        const p = principalOf(request);
        const path = (request.params ?? {}) as { id?: string; classId?: string };
        for (const parent of s.parents ?? []) {
          const id = path[parent.param]!;
          if (!(await findRow(db, p, parent.c, id))) {
            throw orError(404, 'unknownobject', `No ${parent.c.singular} with sourcedId ${id}`);
          }
        }
        const extra = s.extra ? s.extra({ id: path.id!, classId: path.classId }) : [];
        if (s.c.streamed) {
          const page = await streamCollection(
            db,
            p,
            s.c,
            s.c.streamed,
            request.query,
            baseOf(request),
            extra,
          );
          pagingHeaders(request, reply, page);
          return reply.type('application/json; charset=utf-8').send(page.body);
        }
        const page = await listCollection(db, p, s.c, request.query, baseOf(request), extra);
        pagingHeaders(request, reply, page);
        return { [s.c.plural]: page.records };
      },
    );
  };

  const one = (path: string, c: Collection, schema: TSchema, scopes: readonly string[], summary: string) => {
    app.get(
      path,
      {
        config: { permission: 'public', oneRosterScopes: scopes },
        schema: {
          tags,
          summary,
          description: `Scopes: ${scopes.map((x) => `\`${x}\``).join(' or ')}. 404 outside the client's subtree.`,
          security,
          params: OneParam,
          querystring: FieldsQuery,
          response: { 200: S.OneOf(c.singular, schema), ...S.orErrors(400, 401, 403, 404, 429) },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const { id } = request.params as { id: string };
        return { [c.singular]: await getRecord(db, p, c, id, baseOf(request), request.query.fields) };
      },
    );
  };

  return { list, one };
}
