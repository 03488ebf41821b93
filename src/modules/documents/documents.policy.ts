import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import { orgScope } from '../organizations/index.js';
import { guardianOf } from '../students/index.js';
import { documents } from './documents.table.js';

/** The permissions this module declares, and the roles that hold each. */
export const documentsPermissions = definePermissions({
  /** Read documents; the row-level scope below decides which. */
  'documents:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  /** Upload documents (to yourself, your own record, or records you manage); delete your own. */
  'documents:upload': ['admin', 'staff', 'principal', 'faculty', 'student'],
  /** The records office: every document of the organization subtree. */
  'documents:manage': ['admin', 'staff'],
});

/** The actor uploaded the document. */
const ownDocument = (actor: Actor) => sql`${documents.uploadedBy} = ${actor.userId}`;

/**
 * Documents the actor may read (metadata and download): their own uploads; public documents of an
 * organization they belong to; every document in the subtree they manage; documents attached to them (a
 * student, faculty or staff member); and a linked guardian the documents attached to their child.
 */
export function documentReadScope(actor: Actor): SQL {
  const parts: SQL[] = [
    ownDocument(actor),
    sql`(${documents.isPublic} and ${orgScope(actor, 'documents:read', documents.organizationId)})`,
    orgScope(actor, 'documents:manage', documents.organizationId),
  ];
  if (hasRole(actor, 'student')) {
    parts.push(
      sql`exists (select 1 from students ds where ds.id = ${documents.studentId} and ds.user_id = ${actor.userId})`,
    );
  }
  if (hasRole(actor, 'parent'))
    parts.push(sql`(${documents.studentId} is not null and ${guardianOf(actor, documents.studentId)})`);
  if (hasRole(actor, 'faculty')) {
    parts.push(sql`(${documents.relatedEntityType} = 'faculty' and exists (select 1 from faculty df
      where df.id = ${documents.relatedEntityId} and df.user_id = ${actor.userId}))`);
  }
  if (hasRole(actor, 'staff')) {
    parts.push(sql`(${documents.relatedEntityType} = 'staff' and exists (select 1 from staff dst
      where dst.id = ${documents.relatedEntityId} and dst.user_id = ${actor.userId}))`);
  }
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** Documents the actor may delete: their own uploads, or any in the subtree they manage. */
export function documentDeleteScope(actor: Actor): SQL {
  return sql`(${ownDocument(actor)} or ${orgScope(actor, 'documents:manage', documents.organizationId)})`;
}
