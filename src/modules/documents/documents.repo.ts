import { and, arrayContains, desc, eq, getTableColumns, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import type { Column } from '../../kernel/scopes.js';
import { containsPattern } from '../../kernel/sql.js';
import { classes, teaches } from '../classes/index.js';
import { faculty, facultySelfScope, staff } from '../faculty/index.js';
import { organizations, orgScope } from '../organizations/index.js';
import { students, studentWriteScope } from '../students/index.js';
import { documents } from './documents.table.js';

type EntityType = NonNullable<(typeof documents.$inferSelect)['relatedEntityType']>;

/**
 * The organization (and student) of a record the actor may attach a document to, or null (→ 404): managers
 * any record in their subtree; a student their own record; faculty and staff their own record; a teacher
 * the classes they teach.
 */
export async function attachTarget(
  db: DbOrTx,
  actor: Actor,
  type: EntityType,
  id: string,
): Promise<{ organizationId: string; studentId: string | null } | null> {
  const manage = (col: Column) => orgScope(actor, 'documents:manage', col);
  if (type === 'student') {
    const [r] = await db
      .select({ organizationId: students.organizationId })
      .from(students)
      .where(
        and(
          eq(students.id, id),
          isNull(students.deletedAt),
          or(
            studentWriteScope(actor, students),
            manage(students.organizationId),
            eq(students.userId, actor.userId),
          ),
        ),
      );
    return r ? { organizationId: r.organizationId, studentId: id } : null;
  }
  if (type === 'faculty') {
    const [r] = await db
      .select({ organizationId: faculty.organizationId })
      .from(faculty)
      .where(
        and(
          eq(faculty.id, id),
          isNull(faculty.deletedAt),
          or(facultySelfScope(actor), manage(faculty.organizationId)),
        ),
      );
    return r ? { organizationId: r.organizationId, studentId: null } : null;
  }
  if (type === 'staff') {
    const [r] = await db
      .select({ organizationId: staff.organizationId })
      .from(staff)
      .where(
        and(
          eq(staff.id, id),
          isNull(staff.deletedAt),
          or(manage(staff.organizationId), eq(staff.userId, actor.userId)),
        ),
      );
    return r ? { organizationId: r.organizationId, studentId: null } : null;
  }
  if (type === 'class') {
    const [r] = await db
      .select({ organizationId: classes.organizationId })
      .from(classes)
      .where(and(eq(classes.id, id), or(manage(classes.organizationId), teaches(actor, classes.id))));
    return r ? { organizationId: r.organizationId, studentId: null } : null;
  }
  const [r] = await db
    .select({ organizationId: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.id, id), manage(organizations.id)));
  return r ? { organizationId: r.organizationId, studentId: null } : null;
}

/** The actor's own student profile id, or null. */
export async function ownStudentId(db: DbOrTx, actor: Actor) {
  const [r] = await db
    .select({ id: students.id })
    .from(students)
    .where(and(eq(students.userId, actor.userId), isNull(students.deletedAt)));
  return r?.id ?? null;
}

/** A live student the actor may read (`scope` from the students module), or null. */
export async function readableStudent(db: DbOrTx, scope: SQL, id: string) {
  const [r] = await db
    .select({ id: students.id })
    .from(students)
    .where(and(eq(students.id, id), isNull(students.deletedAt), scope));
  return r?.id ?? null;
}

export async function insert(db: DbOrTx, v: typeof documents.$inferInsert) {
  const [row] = await db.insert(documents).values(v).returning();
  return row;
}

export async function find(db: DbOrTx, scope: SQL, id: string) {
  const [row] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, id), scope));
  return row ?? null;
}

export async function remove(db: DbOrTx, id: string) {
  await db.delete(documents).where(eq(documents.id, id));
}

export interface DocumentFilters {
  uploadedBy?: string;
  documentType?: string;
  relatedEntityType?: EntityType;
  relatedEntityId?: string;
  studentId?: string;
  isPublic?: boolean;
  tag?: string;
}

export async function list(db: DbOrTx, scope: SQL, f: DocumentFilters, w: PageWindow) {
  const conds: SQL[] = [scope];
  if (f.uploadedBy) conds.push(eq(documents.uploadedBy, f.uploadedBy));
  if (f.documentType) conds.push(eq(documents.documentType, f.documentType));
  if (f.relatedEntityType) conds.push(eq(documents.relatedEntityType, f.relatedEntityType));
  if (f.relatedEntityId) conds.push(eq(documents.relatedEntityId, f.relatedEntityId));
  if (f.studentId) conds.push(eq(documents.studentId, f.studentId));
  if (f.isPublic !== undefined) conds.push(eq(documents.isPublic, f.isPublic));
  if (f.tag) conds.push(arrayContains(documents.tags, [f.tag]));
  const where = and(...conds);
  // The page and its count in one statement (kernel/pagination.ts `listPage`).
  return listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(documents), _total })
        .from(documents)
        .where(where)
        .orderBy(desc(documents.createdAt), desc(documents.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(documents).where(where),
    w,
  );
}

/** Title, description, file name (trigram index) or a tag containing the term; title matches first. */
export function search(db: DbOrTx, scope: SQL, q: string, limit: number) {
  const p = containsPattern(q.toLowerCase());
  return db
    .select()
    .from(documents)
    .where(
      and(
        scope,
        sql`(lower(${documents.title} || ' ' || coalesce(${documents.description}, '') || ' ' || ${documents.fileName}) like ${p}
             or exists (select 1 from unnest(${documents.tags}) dt where lower(dt) like ${p}))`,
      ),
    )
    .orderBy(sql`(lower(${documents.title}) like ${p}) desc`, desc(documents.createdAt), desc(documents.id))
    .limit(limit);
}
