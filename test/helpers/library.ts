import { makeFaculty, makeParent, makeStudent } from './academic.js';
import { type App, call, uniq } from './app.js';
import { makeUser, makeWorld } from './factories.js';

/** A valid ISBN-13 (978 prefix, right check digit), different on every call. */
export function isbn13(): string {
  const body = `978${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/**
 * A school with a library desk (admin, staff), a principal, a signed-in student with a parent, another
 * student, a faculty member, and a second school of its own (for out-of-scope checks).
 */
export async function makeLibraryWorld(app: App) {
  const w = await makeWorld(app, 'school');
  const staff = await makeUser(app, w.org, 'staff');
  const principal = await makeUser(app, w.org, 'principal');
  const student = await makeStudent(app, w.org, {}, { login: true });
  const student2 = await makeStudent(app, w.org, {}, { login: true });
  const parent = await makeParent(app, w.org, [student.id]);
  const teacher = await makeFaculty(app, w.org);
  const otherStudent = await makeStudent(app, w.otherOrg, {}, { login: true });
  return { ...w, staff, principal, student, student2, parent, teacher, otherStudent };
}

export type LibraryWorld = Awaited<ReturnType<typeof makeLibraryWorld>>;

/** Adds a book with `copies` copies through the API; returns the book. */
export async function addBook(
  app: App,
  token: string,
  orgId: string,
  opts: { copies?: number; is_reference?: boolean; title?: string; author?: string; category?: string } = {},
) {
  const res = await call(app, 'POST', '/api/v1/library/books', {
    token,
    body: {
      organization_id: orgId,
      isbn: isbn13(),
      title: opts.title ?? `Book ${uniq()}`,
      author: opts.author ?? 'A. Writer',
      category: opts.category ?? 'general',
      is_reference: opts.is_reference ?? false,
      copies: opts.copies ?? 1,
    },
  });
  if (res.statusCode !== 201) throw new Error(`addBook: ${res.statusCode} ${res.body}`);
  return res.data.data as { id: string; organization_id: string; copies_available: number };
}

export function issue(app: App, token: string, body: Record<string, unknown>) {
  return call(app, 'POST', '/api/v1/library/issue', { token, body });
}

export function returnLoan(app: App, token: string, body: Record<string, unknown>) {
  return call(app, 'PUT', '/api/v1/library/return', { token, body });
}

/** Sets a circulation rule through the API (admin). */
export async function setRule(app: App, token: string, orgId: string, rule: Record<string, unknown>) {
  const res = await call(app, 'PUT', '/api/v1/library/rules', {
    token,
    body: {
      organization_id: orgId,
      patron_type: 'student',
      loan_days: 14,
      max_loans: 5,
      max_renewals: 2,
      fine_per_day: '0.00',
      grace_days: 0,
      ...rule,
    },
  });
  if (res.statusCode !== 200) throw new Error(`setRule: ${res.statusCode} ${res.body}`);
  return res.data.data;
}

/** Today (UTC) shifted by `days`, as YYYY-MM-DD. */
export const day = (days: number) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);
