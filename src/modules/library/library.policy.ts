import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { orgScope } from '../organizations/index.js';
import { guardianOf } from '../students/index.js';

/**
 * The permissions of the library. The circulation desk is admin/staff: the platform's roles are fixed
 * (kernel/auth/permissions.ts), so there is no separate librarian role; a librarian is a staff member.
 */
export const libraryPermissions = definePermissions({
  /** Browse and search the catalogue of the organizations one belongs to. */
  'library:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  /** Catalogue and circulation desk: books, copies, issue, return, fines of anyone in scope. */
  'library:manage': ['admin', 'staff'],
  /** Circulation rules per patron category. */
  'library:configure': ['admin'],
  /** Loans, holds and fines: the desk all in scope; principals read; patrons their own; parents children's. */
  'library:loans': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  /** Read every loan, hold and fine of one's subtree (no desk actions). */
  'library:oversee': ['admin', 'staff', 'principal'],
  /** Place/cancel holds and renew loans: the desk for anyone, faculty and students for themselves. */
  'library:borrow': ['admin', 'staff', 'faculty', 'student'],
  /** Pay a fine: the desk, or a student their own (through the finance payment path). */
  'library:pay': ['admin', 'staff', 'student'],
});

/** Rows of organizations where the actor runs the desk (admin/staff subtree). */
export const deskScope = (actor: Actor, orgCol: Column): SQL => orgScope(actor, 'library:manage', orgCol);

/** Patron columns of a loan, hold or fine (a table or alias). */
export interface PatronCols {
  organizationId: Column;
  studentId: Column;
  facultyId: Column;
  staffId: Column;
}

/**
 * Loans, holds and fines the actor may see: the desk in its subtree, principals in theirs, a student,
 * faculty or staff member their own, a parent their linked children's. Applied in the WHERE clause.
 */
export function patronReadScope(actor: Actor, c: PatronCols): SQL {
  const parts: SQL[] = [deskScope(actor, c.organizationId)];
  if (hasRole(actor, 'principal')) parts.push(orgScope(actor, 'library:oversee', c.organizationId));
  parts.push(ownPatron(actor, c));
  if (hasRole(actor, 'parent')) parts.push(guardianOf(actor, c.studentId));
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** The row belongs to the actor as a patron (their student, faculty or staff profile). */
export function ownPatron(actor: Actor, c: PatronCols): SQL {
  return sql`(exists (select 1 from students ps where ps.id = ${c.studentId} and ps.user_id = ${actor.userId})
           or exists (select 1 from faculty pf where pf.id = ${c.facultyId} and pf.user_id = ${actor.userId})
           or exists (select 1 from staff pt where pt.id = ${c.staffId} and pt.user_id = ${actor.userId}))`;
}

/** What a patron may change themself (renew, hold, cancel): the desk in scope, or their own rows. */
export function patronActScope(actor: Actor, c: PatronCols): SQL {
  return sql`(${deskScope(actor, c.organizationId)} or ${ownPatron(actor, c)})`;
}
