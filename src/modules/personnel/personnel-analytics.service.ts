import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { can } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { countUsersAt } from '../users/index.js';
import { registerScope } from './personnel.policy.js';
import { PERSONNEL_STATUSES, personnelRegisters } from './personnel.table.js';
import * as repo from './personnel-analytics.repo.js';
import type { FigureT } from './personnel-analytics.schemas.js';
import * as registers from './personnel-registers.repo.js';

/** A figure now and at the end of last month. */
export function figure(value: number, previous: number): FigureT {
  const change = value - previous;
  return {
    value,
    previous,
    change,
    change_percent: previous === 0 ? null : Math.round((change / previous) * 1000) / 10,
  };
}

/**
 * The two moments compared: `as_of` (end of that UTC day, or now) and the end of the month before it —
 * the first instant of `as_of`'s month minus one millisecond, so a change at midnight on the 1st belongs
 * to the new month.
 */
export function period(asOf?: string, now = new Date()) {
  const at = asOf ? new Date(Date.parse(`${asOf}T00:00:00.000Z`) + 86_400_000 - 1) : now;
  const previous = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1) - 1);
  return { at, previous };
}

async function personnelFigures(db: Db, scope: ReturnType<typeof sql>, at: Date, previous: Date) {
  const rows = await repo.statusCountsAt(db, scope, at, previous);
  const now = rows.filter((r) => r.moment === 'now');
  const then = rows.filter((r) => r.moment === 'then');
  const get = (rows: Array<{ status: string; n: number }>, s: string) =>
    rows.find((r) => r.status === s)?.n ?? 0;
  const sum = (rows: Array<{ n: number }>) => rows.reduce((a, r) => a + r.n, 0);
  const byStatus = Object.fromEntries(
    PERSONNEL_STATUSES.map((s) => [s, figure(get(now, s), get(then, s))]),
  ) as Record<(typeof PERSONNEL_STATUSES)[number], FigureT>;
  return { personnel: figure(sum(now), sum(then)), by_status: byStatus };
}

/** One register's figures with their month-over-month change (404 outside the actor's registers). */
export async function registerAnalytics(db: Db, ctx: RequestContext, registerId: string, asOf?: string) {
  const reg = await registers.find(db, registerScope(ctx.actor, personnelRegisters.id), registerId);
  if (!reg) throw notFound('Register');
  const { at, previous } = period(asOf);
  const scope = sql`p.register_id = ${registerId}`;
  return {
    register_id: registerId,
    as_of: at.toISOString(),
    previous_as_of: previous.toISOString(),
    ...(await personnelFigures(db, scope, at, previous)),
  };
}

/**
 * The office part of the dashboard: registers, users and personnel by status over the registers the actor
 * may use. `users` counts users homed in the organizations the actor administers (null for non-admins);
 * `countUsers` answers it for the two moments compared (default: count the users table; the reports
 * dashboard passes its maintained summaries instead).
 */
export async function personnelDashboard(
  db: Db,
  ctx: RequestContext,
  asOf?: string,
  countUsers: (at: Date, previous: Date) => Promise<[number, number]> = (at, previous) =>
    Promise.all([
      countUsersAt(db, ctx.actor, 'registers:manage', at),
      countUsersAt(db, ctx.actor, 'registers:manage', previous),
    ]),
) {
  const { at, previous } = period(asOf);
  const manager = can(ctx.actor, 'registers:manage');
  const [regs, people, counted] = await Promise.all([
    repo.registerCountAt(db, registerScope(ctx.actor, sql`r.id`), at, previous),
    personnelFigures(db, registerScope(ctx.actor, sql`p.register_id`), at, previous),
    manager ? countUsers(at, previous) : null,
  ]);
  return {
    as_of: at.toISOString(),
    previous_as_of: previous.toISOString(),
    registers: figure(regs.now, regs.previous),
    users: counted ? figure(counted[0], counted[1]) : null,
    ...people,
  };
}
