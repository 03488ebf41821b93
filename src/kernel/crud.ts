import { and, asc, eq, getTableColumns, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { type Static, type TSchema, Type } from 'typebox';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import { recordAudit } from './audit.js';
import { type Actor, contextOf, grantsFor, type RequestContext } from './auth/actor.js';
import { tableLabel } from './error-handler.js';
import { badRequest, conflict, notFound } from './errors.js';
import type { RoutePlugin } from './module.js';
import { listPage, type PageWindow, page, pageWindow } from './pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from './schemas.js';
import { containsPattern, rowsOf } from './sql.js';
import { withTx } from './tx.js';

/** The organization a record belongs to, as the CRUD hooks need it. */
export interface OrgRef {
  id: string;
  path: string;
  currency: string;
}

/**
 * How the factory finds organizations. The kernel does not know the organizations module (it may not import
 * modules): the spec passes its lookups in (`findOrganizationInScope` / `findOrganizationById` from
 * `organizations/index.ts`).
 */
export interface CrudOrgs {
  /** The organization, only if it lies in the actor's scope for `permission`; else null. */
  findInScope(db: DbOrTx, actor: Actor, permission: string, id: string): Promise<OrgRef | null>;
  findById(db: DbOrTx, id: string): Promise<OrgRef | null>;
}

/** A table the factory can serve: an organization-owned table with a uuid `id`. */
export type CrudTable = PgTable & { id: AnyPgColumn; organizationId: AnyPgColumn };

/** The row fields the factory itself reads. */
export interface CrudRow {
  id: string;
  organizationId: string;
}

/** The querystring fields every list understands (beyond the spec's own filters). */
export interface CrudListQuery {
  page?: number;
  page_size?: number;
  organization_id?: string;
  search?: string;
}

/**
 * Declarative description of one organization-owned resource; `crudRoutes` turns it into the five
 * endpoints (create, list, get, update by PUT or PATCH, delete) with scope filters, transactions and audit.
 * `Row` is the table's `$inferSelect` (plus `selectExtra`), `Out` the response shape; the input types come
 * from the schemas.
 */
export interface CrudSpec<
  Row extends CrudRow,
  Out extends Record<string, unknown>,
  Create extends TSchema = TSchema,
  Update extends TSchema = TSchema,
  ListQ extends TSchema = TSchema,
> {
  path: string;
  tag: string;
  /** Audit entity type, e.g. `department`. */
  entity: string;
  /** Human name in messages, e.g. `Department`. */
  label: string;
  table: CrudTable;
  orgs: CrudOrgs;
  readPermission: string;
  writePermission: string;
  readScope(actor: Actor): SQL;
  writeScope(actor: Actor): SQL;
  schemas: { out: TSchema; create: Create; update: Update; listQuery: ListQ };
  toOut(row: Row, org?: OrgRef): Out;
  /** Validates create input and returns column values (references, money, dates). */
  prepareCreate(
    tx: Tx,
    ctx: RequestContext,
    input: Static<Create>,
    org: OrgRef,
  ): Promise<Record<string, unknown>>;
  /** Validates update input against the current row and returns the changed column values. */
  prepareUpdate(
    tx: Tx,
    ctx: RequestContext,
    input: Static<Update>,
    before: Row,
    org: OrgRef,
  ): Promise<Record<string, unknown>>;
  filters?(q: Static<ListQ>): SQL[];
  searchColumns?: Array<AnyPgColumn | SQL>;
  orderBy: SQL[];
  /** Needs the organization (currency) to render; loaded with one join-free query per organization. */
  needsOrg?: boolean;
  /** Permission for POST when it differs from writePermission (teachers may create classes). */
  createPermission?: string;
  /** Permission for PUT/PATCH when it differs from writePermission (a class's owner may edit it). */
  updatePermission?: string;
  /** Which rows PUT/PATCH may change, when it differs from writeScope. */
  updateScope?(actor: Actor): SQL;
  /** Runs in the create transaction after the insert (e.g. assign the creating teacher). */
  afterCreate?(tx: Tx, ctx: RequestContext, row: Row, org: OrgRef): Promise<void>;
  /** Computed columns added to reads (e.g. a class's enrolled count). */
  selectExtra?: Record<string, SQL>;
  /**
   * The list's rows shaped by SQL: the response's field names selected directly (the same values `toOut`
   * builds; timestamps with `isoText`), so a list maps no row in JavaScript and Fastify's compiled serializer
   * writes what the database returned. Without it the list maps each row through `toOut`.
   */
  listColumns?: Record<string, AnyPgColumn | SQL>;
}

/** The use cases `crudService` builds from a spec. */
export interface CrudService<
  Row extends CrudRow,
  Out,
  Create extends TSchema,
  Update extends TSchema,
  ListQ extends TSchema,
> {
  create(db: Db, ctx: RequestContext, input: Static<Create> & { organization_id?: string }): Promise<Out>;
  get(db: Db, ctx: RequestContext, id: string): Promise<Out>;
  /** One row in the actor's read scope, or a 404 (used by sub-resource endpoints). */
  findReadable(db: DbOrTx, actor: Actor, id: string): Promise<Row>;
  /** One row in the actor's write scope, locked for the transaction, or a 404. */
  findWritable(tx: Tx, actor: Actor, id: string): Promise<Row>;
  list(
    db: Db,
    ctx: RequestContext,
    q: Static<ListQ> & CrudListQuery,
    w: PageWindow,
  ): Promise<{ data: Out[]; meta: ReturnType<typeof page>['meta'] }>;
  update(db: Db, ctx: RequestContext, id: string, input: Static<Update>): Promise<Out>;
  remove(db: Db, ctx: RequestContext, id: string): Promise<void>;
}

/** Reads the SQLSTATE of a driver error (or of its causes). */
function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The driver error of a refused delete (ON DELETE RESTRICT 23001 or NO ACTION 23503), if it is one. */
function referenceViolation(err: unknown): { constraint?: string; table?: string } | null {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = sqlState(e);
    if (code === '23001' || code === '23503') return e as { constraint?: string; table?: string };
    e = typeof e === 'object' && e !== null ? (e as { cause?: unknown }).cause : undefined;
  }
  return null;
}

/**
 * "3 classes use this course": counts the rows of the referencing table (named by the violated foreign
 * key, read from the catalog) that still point at the record. One count for the constraint PostgreSQL
 * reported; the message names the rows as their module describes them (`describeTable`).
 */
async function stillReferenced(
  tx: Tx,
  v: { constraint?: string; table?: string },
  id: string,
  label: string,
) {
  const what = label.toLowerCase();
  const cols = v.constraint
    ? rowsOf<{ table_name: string; column_name: string }>(
        await tx.execute(sql`select c.conrelid::regclass::text as table_name, a.attname as column_name
                               from pg_constraint c
                               join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
                              where c.conname = ${v.constraint} and c.contype = 'f' and array_length(c.conkey, 1) = 1
                              limit 1`),
      )
    : [];
  const ref = cols[0];
  if (!ref) {
    return conflict(`The ${what} is still used by other records`, 'still_referenced');
  }
  const table = ref.table_name.replace(/^public\./, '').replace(/"/g, '');
  const [{ n }] = rowsOf<{ n: number | string }>(
    await tx.execute(
      sql`select count(*) as n from ${sql.identifier(table)} where ${sql.identifier(ref.column_name)} = ${id}`,
    ),
  );
  const count = Number(n);
  const names = tableLabel(table);
  return conflict(
    `${count} ${count === 1 ? names.singular : names.plural} ${count === 1 ? 'uses' : 'use'} this ${what}; remove or reassign ${count === 1 ? 'it' : 'them'} first`,
    'still_referenced',
    [{ field: 'id', message: `is used by ${count} ${count === 1 ? names.singular : names.plural}` }],
  );
}

/** The organization for a new record: the given one (in write scope) or the actor's only one. */
async function targetOrg(
  orgs: CrudOrgs,
  tx: Tx,
  actor: Actor,
  permission: string,
  orgId: string | undefined,
) {
  let id = orgId;
  if (!id) {
    const grants = grantsFor(actor, permission);
    if (grants.length !== 1) {
      throw badRequest('organization_id is required', [{ field: 'organization_id', message: 'is required' }]);
    }
    id = grants[0].organizationId;
  }
  const org = await orgs.findInScope(tx, actor, permission, id);
  if (!org) throw notFound('Organization');
  return org;
}

/** The organization of an existing row (its foreign key guarantees it exists). */
async function orgOf(orgs: CrudOrgs, db: DbOrTx, id: string): Promise<OrgRef> {
  const org = await orgs.findById(db, id);
  if (!org) throw notFound('Organization');
  return org;
}

export function crudService<
  Row extends CrudRow,
  Out extends Record<string, unknown>,
  Create extends TSchema,
  Update extends TSchema,
  ListQ extends TSchema,
>(spec: CrudSpec<Row, Out, Create, Update, ListQ>): CrudService<Row, Out, Create, Update, ListQ> {
  const t = spec.table;
  const cols = { ...getTableColumns(t), ...(spec.selectExtra ?? {}) };
  // The select returns the table's columns (and the extra ones): the spec's Row by construction.
  const selectRows = (db: DbOrTx, where: SQL | undefined) =>
    db.select(cols).from(t).where(where) as unknown as Promise<Row[]>;
  const selectLocked = (tx: Tx, where: SQL | undefined) =>
    tx.select(cols).from(t).where(where).for('update') as unknown as Promise<Row[]>;
  const render = async (db: DbOrTx, row: Row) =>
    spec.toOut(row, spec.needsOrg ? await orgOf(spec.orgs, db, row.organizationId) : undefined);

  return {
    async create(db, ctx, input) {
      return withTx(db, async (tx) => {
        const createPermission = spec.createPermission ?? spec.writePermission;
        const org = await targetOrg(spec.orgs, tx, ctx.actor, createPermission, input.organization_id);
        const values = await spec.prepareCreate(tx, ctx, input, org);
        const [inserted] = (await tx
          .insert(t)
          .values({ ...values, organizationId: org.id })
          .returning()) as unknown as Row[];
        await spec.afterCreate?.(tx, ctx, inserted, org);
        const out = spec.toOut(inserted, org);
        await recordAudit(tx, ctx, {
          action: 'create',
          entityType: spec.entity,
          entityId: inserted.id,
          organizationId: org.id,
          after: out,
        });
        return out;
      });
    },

    async get(db, ctx, id) {
      const [row] = await selectRows(db, and(eq(t.id, id), spec.readScope(ctx.actor)));
      if (!row) throw notFound(spec.label);
      return render(db, row);
    },

    async findReadable(db, actor, id) {
      const [row] = await selectRows(db, and(eq(t.id, id), spec.readScope(actor)));
      if (!row) throw notFound(spec.label);
      return row;
    },

    async findWritable(tx, actor, id) {
      const [row] = await selectLocked(tx, and(eq(t.id, id), spec.writeScope(actor)));
      if (!row) throw notFound(spec.label);
      return row;
    },

    async list(db, ctx, q, w) {
      const conds: SQL[] = [spec.readScope(ctx.actor), ...(spec.filters?.(q) ?? [])];
      if (q.organization_id) conds.push(eq(t.organizationId, q.organization_id));
      if (q.search && spec.searchColumns?.length) {
        const p = containsPattern(q.search);
        const any = or(...spec.searchColumns.map((c) => ilike(c, p)));
        if (any) conds.push(any);
      }
      const where = and(...conds);
      const order = [...spec.orderBy, asc(t.id)];
      if (spec.listColumns) {
        // Shaped by the select (spec.listColumns): no per-row mapping, no organization lookups.
        const shaped = await listPage(
          db,
          (_total) =>
            db
              .select({ ...spec.listColumns, _total })
              .from(t)
              .where(where)
              .orderBy(...order)
              .limit(w.limit)
              .offset(w.offset) as unknown as Promise<Array<Out & { _total: number }>>,
          db.select({ one: sql`1` }).from(t).where(where),
          w,
        );
        return page<Out>(shaped.rows, shaped.total, w);
      }
      // The page and its count in one statement (pagination.ts `listPage`).
      const { rows, total } = await listPage(
        db,
        (_total) =>
          db
            .select({ ...cols, _total })
            .from(t)
            .where(where)
            .orderBy(...order)
            .limit(w.limit)
            .offset(w.offset) as unknown as Promise<Array<Row & { _total: number }>>,
        db.select({ one: sql`1` }).from(t).where(where),
        w,
      );
      const orgs = new Map<string, OrgRef>();
      if (spec.needsOrg) {
        const ids = [...new Set(rows.map((r) => r.organizationId))];
        const found = await Promise.all(ids.map((id) => spec.orgs.findById(db, id)));
        for (const o of found) if (o) orgs.set(o.id, o);
      }
      return page(
        rows.map((r) => spec.toOut(r, orgs.get(r.organizationId))),
        total,
        w,
      );
    },

    async update(db, ctx, id, input) {
      return withTx(db, async (tx) => {
        const scope = (spec.updateScope ?? spec.writeScope)(ctx.actor);
        const [before] = await selectLocked(tx, and(eq(t.id, id), scope));
        if (!before) throw notFound(spec.label);
        const org = await orgOf(spec.orgs, tx, before.organizationId);
        const values = await spec.prepareUpdate(tx, ctx, input, before, org);
        await tx
          .update(t)
          .set({ ...values, updatedAt: new Date() })
          .where(eq(t.id, id));
        const [row] = await selectRows(tx, eq(t.id, id));
        const out = spec.toOut(row, org);
        await recordAudit(tx, ctx, {
          action: 'update',
          entityType: spec.entity,
          entityId: id,
          organizationId: org.id,
          before: spec.toOut(before, org),
          after: out,
        });
        return out;
      });
    },

    async remove(db, ctx, id) {
      await withTx(db, async (tx) => {
        const [before] = await selectLocked(tx, and(eq(t.id, id), spec.writeScope(ctx.actor)));
        if (!before) throw notFound(spec.label);
        try {
          // A savepoint: after a refused delete the transaction can still count what refers to the row.
          await tx.transaction(async (sp) => {
            await sp.delete(t).where(eq(t.id, id));
          });
        } catch (err) {
          const v = referenceViolation(err);
          if (!v) throw err;
          throw await stillReferenced(tx, v, id, spec.label);
        }
        await recordAudit(tx, ctx, {
          action: 'delete',
          entityType: spec.entity,
          entityId: id,
          organizationId: before.organizationId,
          before: spec.toOut(before, await orgOf(spec.orgs, tx, before.organizationId)),
        });
      });
    },
  };
}

type TypedApp = Parameters<RoutePlugin>[0];

/** Registers create / list / get / update (PUT and PATCH, both partial) / delete for a spec. */
export function crudRoutes<
  Row extends CrudRow,
  Out extends Record<string, unknown>,
  Create extends TSchema,
  Update extends TSchema,
  ListQ extends TSchema,
>(
  app: TypedApp,
  spec: CrudSpec<Row, Out, Create, Update, ListQ>,
  svc: CrudService<Row, Out, Create, Update, ListQ>,
) {
  const { db } = app.deps;
  const tags = [spec.tag];
  const s = spec.schemas;
  // The request parts are validated against the spec's schemas; in this generic code TypeScript cannot
  // resolve the type provider's Static<…> of a type parameter, so they are named here once.
  type CreateBody = Static<Create> & { organization_id?: string };
  type ListQuery = Static<ListQ> & CrudListQuery;
  const idOf = (params: unknown) => (params as { id: string }).id;
  app.post(
    spec.path,
    {
      config: { permission: spec.createPermission ?? spec.writePermission },
      schema: {
        tags,
        summary: `Create a ${spec.label.toLowerCase()}`,
        body: s.create,
        response: { 201: DataOf(s.out), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.create(db, contextOf(request), request.body as CreateBody) };
    },
  );
  app.get(
    spec.path,
    {
      config: { permission: spec.readPermission },
      schema: {
        tags,
        summary: `List ${spec.label.toLowerCase()}s in your scope`,
        querystring: s.listQuery,
        response: { 200: PageOf(s.out), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query as ListQuery;
      return svc.list(db, contextOf(request), q, pageWindow(q));
    },
  );
  app.get(
    `${spec.path}/:id`,
    {
      config: { permission: spec.readPermission },
      schema: {
        tags,
        summary: `Get one ${spec.label.toLowerCase()}`,
        params: IdParams,
        response: { 200: DataOf(s.out), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.get(db, contextOf(request), idOf(request.params)) }),
  );
  for (const method of ['put', 'patch'] as const) {
    app[method](
      `${spec.path}/:id`,
      {
        config: { permission: spec.updatePermission ?? spec.writePermission },
        schema: {
          tags,
          summary:
            method === 'patch'
              ? `Update a ${spec.label.toLowerCase()} (only the given fields change)`
              : 'Deprecated: use PATCH (this PUT changes only the fields given, like PATCH)',
          // docs/api-conventions.md: PUT replaces; a PUT that changes only the given fields is kept for
          // existing clients and marked deprecated.
          deprecated: method === 'put',
          params: IdParams,
          body: s.update,
          response: { 200: DataOf(s.out), ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => ({
        data: await svc.update(db, contextOf(request), idOf(request.params), request.body as Static<Update>),
      }),
    );
  }
  app.delete(
    `${spec.path}/:id`,
    {
      config: { permission: spec.writePermission },
      schema: {
        tags,
        summary: `Delete a ${spec.label.toLowerCase()} that nothing references any more`,
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await svc.remove(db, contextOf(request), idOf(request.params));
      reply.status(204).send(null);
    },
  );
}
