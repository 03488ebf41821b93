import { and, asc, count, eq, getTableColumns, ilike, inArray, or, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type TSchema, Type } from 'typebox';
import type { Db, Tx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import { type Actor, contextOf, grantsFor, type RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, conflict, notFound } from '../../kernel/errors.js';
import { type PageWindow, page, pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { containsPattern } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { findOrganizationById, findOrganizationInScope, organizations } from '../organizations/index.js';

/** The organization a record belongs to, as the CRUD hooks need it. */
export interface OrgRef {
  id: string;
  path: string;
  currency: string;
}

/**
 * Declarative description of one organization-owned resource; `crudRoutes` turns it into the five
 * endpoints (create, list, get, update by PUT or PATCH, delete) with scope filters, transactions and audit.
 */
export interface CrudSpec<Row extends { id: string; organizationId: string }, Out> {
  path: string;
  tag: string;
  /** Audit entity type, e.g. `department`. */
  entity: string;
  /** Human name in messages, e.g. `Department`. */
  label: string;
  table: any;
  readPermission: string;
  writePermission: string;
  readScope(actor: Actor): SQL;
  writeScope(actor: Actor): SQL;
  schemas: { out: TSchema; create: TSchema; update: TSchema; listQuery: TSchema };
  toOut(row: Row, org?: OrgRef): Out;
  /** Validates create input and returns column values (references, money, dates). */
  prepareCreate(tx: Tx, ctx: RequestContext, input: any, org: OrgRef): Promise<Record<string, unknown>>;
  /** Validates update input against the current row and returns the changed column values. */
  prepareUpdate(
    tx: Tx,
    ctx: RequestContext,
    input: any,
    before: Row,
    org: OrgRef,
  ): Promise<Record<string, unknown>>;
  filters?(q: any): SQL[];
  searchColumns?: any[];
  orderBy: any[];
  /** Needs the organization (currency) to render; loaded with one join-free query per request. */
  needsOrg?: boolean;
  /** Permission for POST when it differs from writePermission (teachers may create classes). */
  createPermission?: string;
  /** Runs in the create transaction after the insert (e.g. assign the creating teacher). */
  afterCreate?(tx: Tx, ctx: RequestContext, row: Row, org: OrgRef): Promise<void>;
  /** Computed columns added to reads (e.g. a class's enrolled count). */
  selectExtra?: Record<string, SQL>;
}

/**
 * ON DELETE RESTRICT raises SQLSTATE 23001, which the kernel handler does not map (only 23503 NO ACTION);
 * both mean "still referenced" and answer 409.
 */
function stillReferenced(err: unknown) {
  let e: any = err;
  for (let i = 0; i < 4 && e; i++) {
    if (e.code === '23001' || e.code === '23503') {
      return conflict('The record is still referenced by other records', 'still_referenced');
    }
    e = e.cause;
  }
  return null;
}

/** The organization for a new record: the given one (in write scope) or the actor's only one. */
async function targetOrg(tx: Tx, actor: Actor, permission: string, orgId: string | undefined) {
  let id = orgId;
  if (!id) {
    const grants = grantsFor(actor, permission);
    if (grants.length !== 1) {
      throw badRequest('organization_id is required', [{ field: 'organization_id', message: 'is required' }]);
    }
    id = grants[0].organizationId;
  }
  const org = await findOrganizationInScope(tx, actor, permission, id);
  if (!org) throw notFound('Organization');
  return org;
}

export function crudService<Row extends { id: string; organizationId: string }, Out>(
  spec: CrudSpec<Row, Out>,
) {
  const t = spec.table;
  const cols = { ...getTableColumns(t), ...(spec.selectExtra ?? {}) };
  const render = async (db: Db | Tx, row: Row) =>
    spec.toOut(
      row,
      spec.needsOrg ? ((await findOrganizationById(db, row.organizationId)) as OrgRef) : undefined,
    );

  return {
    async create(db: Db, ctx: RequestContext, input: any): Promise<Out> {
      return withTx(db, async (tx) => {
        const createPermission = spec.createPermission ?? spec.writePermission;
        const org = await targetOrg(tx, ctx.actor, createPermission, input.organization_id);
        const values = await spec.prepareCreate(tx, ctx, input, org);
        const [row] = (await tx
          .insert(t)
          .values({ ...values, organizationId: org.id })
          .returning()) as Row[];
        await spec.afterCreate?.(tx, ctx, row, org);
        const out = spec.toOut(row as Row, org);
        await recordAudit(tx, ctx, {
          action: 'create',
          entityType: spec.entity,
          entityId: (row as Row).id,
          organizationId: org.id,
          after: out as any,
        });
        return out;
      });
    },

    async get(db: Db, ctx: RequestContext, id: string): Promise<Out> {
      const [row] = await db
        .select(cols)
        .from(t)
        .where(and(eq(t.id, id), spec.readScope(ctx.actor)));
      if (!row) throw notFound(spec.label);
      return render(db, row as Row);
    },

    /** One row in the actor's read scope, or a 404 (used by sub-resource endpoints). */
    async findReadable(db: Db | Tx, actor: Actor, id: string): Promise<Row> {
      const [row] = await db
        .select(cols)
        .from(t)
        .where(and(eq(t.id, id), spec.readScope(actor)));
      if (!row) throw notFound(spec.label);
      return row as Row;
    },

    /** One row in the actor's write scope, locked for the transaction, or a 404. */
    async findWritable(tx: Tx, actor: Actor, id: string): Promise<Row> {
      const [row] = await tx
        .select(cols)
        .from(t)
        .where(and(eq(t.id, id), spec.writeScope(actor)))
        .for('update');
      if (!row) throw notFound(spec.label);
      return row as Row;
    },

    async list(db: Db, ctx: RequestContext, q: any, w: PageWindow) {
      const conds: SQL[] = [spec.readScope(ctx.actor), ...(spec.filters?.(q) ?? [])];
      if (q.organization_id) conds.push(eq(t.organizationId, q.organization_id));
      if (q.search && spec.searchColumns?.length) {
        const p = containsPattern(q.search);
        conds.push(or(...spec.searchColumns.map((c) => ilike(c, p)))!);
      }
      const where = and(...conds);
      const [rows, [{ total }]] = await Promise.all([
        db
          .select(cols)
          .from(t)
          .where(where)
          .orderBy(...spec.orderBy, asc(t.id))
          .limit(w.limit)
          .offset(w.offset),
        db.select({ total: count() }).from(t).where(where),
      ]);
      let orgs = new Map<string, OrgRef>();
      if (spec.needsOrg) {
        const ids = [...new Set((rows as Row[]).map((r) => r.organizationId))];
        if (ids.length) {
          const found = await db
            .select({ id: organizations.id, path: organizations.path, currency: organizations.currency })
            .from(organizations)
            .where(inArray(organizations.id, ids));
          orgs = new Map(found.map((o) => [o.id, o]));
        }
      }
      return page(
        (rows as Row[]).map((r) => spec.toOut(r, orgs.get(r.organizationId))),
        total,
        w,
      );
    },

    async update(db: Db, ctx: RequestContext, id: string, input: any): Promise<Out> {
      return withTx(db, async (tx) => {
        const [before] = await tx
          .select(cols)
          .from(t)
          .where(and(eq(t.id, id), spec.writeScope(ctx.actor)))
          .for('update');
        if (!before) throw notFound(spec.label);
        const org = (await findOrganizationById(tx, (before as Row).organizationId)) as OrgRef;
        const values = await spec.prepareUpdate(tx, ctx, input, before as Row, org);
        await tx
          .update(t)
          .set({ ...values, updatedAt: new Date() })
          .where(eq(t.id, id));
        const [row] = await tx.select(cols).from(t).where(eq(t.id, id));
        const out = spec.toOut(row as Row, org);
        await recordAudit(tx, ctx, {
          action: 'update',
          entityType: spec.entity,
          entityId: id,
          organizationId: org.id,
          before: spec.toOut(before as Row, org) as any,
          after: out as any,
        });
        return out;
      });
    },

    async remove(db: Db, ctx: RequestContext, id: string): Promise<void> {
      await withTx(db, async (tx) => {
        const [before] = await tx
          .select(cols)
          .from(t)
          .where(and(eq(t.id, id), spec.writeScope(ctx.actor)))
          .for('update');
        if (!before) throw notFound(spec.label);
        try {
          await tx.delete(t).where(eq(t.id, id));
        } catch (err) {
          throw stillReferenced(err) ?? err;
        }
        await recordAudit(tx, ctx, {
          action: 'delete',
          entityType: spec.entity,
          entityId: id,
          organizationId: (before as Row).organizationId,
          before: spec.toOut(
            before as Row,
            (await findOrganizationById(tx, (before as Row).organizationId)) as OrgRef,
          ) as any,
        });
      });
    },
  };
}

export type CrudService = ReturnType<typeof crudService<any, any>>;

/** Registers create / list / get / update (PUT and PATCH, both partial) / delete for a spec. */
export function crudRoutes(app: FastifyInstance, spec: CrudSpec<any, any>, svc: CrudService) {
  const { db } = app.deps;
  const tags = [spec.tag];
  const s = spec.schemas;
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
      return { data: await svc.create(db, contextOf(request), request.body) };
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
      const q = request.query as any;
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
    async (request) => ({ data: await svc.get(db, contextOf(request), (request.params as any).id) }),
  );
  for (const method of ['put', 'patch'] as const) {
    app[method](
      `${spec.path}/:id`,
      {
        config: { permission: spec.writePermission },
        schema: {
          tags,
          summary: `Update a ${spec.label.toLowerCase()} (only the given fields change)`,
          params: IdParams,
          body: s.update,
          response: { 200: DataOf(s.out), ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => ({
        data: await svc.update(db, contextOf(request), (request.params as any).id, request.body),
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
      await svc.remove(db, contextOf(request), (request.params as any).id);
      reply.status(204).send();
    },
  );
}
