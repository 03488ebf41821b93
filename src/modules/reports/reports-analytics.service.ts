import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { can, type RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { formatMinor } from '../../kernel/money.js';
import { orgScope } from '../organizations/index.js';
import { personnelDashboard } from '../personnel/index.js';
import { analyticsOrgScope } from './reports.policy.js';
import { inSubtree } from './reports.repo.js';
import {
  type CounterRow,
  childrenOf,
  counterSums,
  type FeeRow,
  feeSums,
  findOrg,
  monthlySums,
  type OrgPredicate,
  schoolsIn,
  usersAt,
} from './reports-analytics.repo.js';
import type { DashboardFiguresT, DistrictRowT } from './reports-analytics.schemas.js';

type Sums = Map<string, number>;

/**
 * Rows summed per group (key '' for the whole scope, every row counting there too): group → name → sum.
 */
function grouped<R extends { unit_id: string | null }, V>(
  rows: R[],
  name: (r: R) => string,
  value: (r: R) => V,
  add: (a: V | undefined, b: V) => V,
): Map<string, Map<string, V>> {
  const out = new Map<string, Map<string, V>>([['', new Map()]]);
  for (const r of rows) {
    for (const key of r.unit_id ? ['', r.unit_id] : ['']) {
      const m = out.get(key) ?? new Map<string, V>();
      m.set(name(r), add(m.get(name(r)), value(r)));
      out.set(key, m);
    }
  }
  return out;
}

/** Counter rows per group: metric → sum. */
const countersBy = (rows: CounterRow[]) =>
  grouped(
    rows,
    (r) => r.metric,
    (r) => Number(r.value),
    (a, b) => (a ?? 0) + b,
  );

/** Fee rows per group: currency → minor units (exact: BigInt). */
const feesBy = (rows: FeeRow[]) =>
  grouped(
    rows,
    (r) => r.currency,
    (r) => BigInt(String(r.amount).split('.')[0]),
    (a, b) => (a ?? 0n) + b,
  );

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((10_000 * part) / whole) / 100 : null);
const int = (m: Sums | undefined, k: string) => Math.round(m?.get(k) ?? 0);

function money(fees: Map<string, bigint> | undefined) {
  return [...(fees ?? new Map<string, bigint>()).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, minor]) => ({ currency, amount: formatMinor(minor, currency) }));
}

/**
 * The average percentage of posted grades, rounded half up to 2 decimals in integers: percentages have at
 * most 3 decimals, so the sum in thousandths is exact.
 */
function average(m: Sums | undefined): number | null {
  const n = int(m, 'marks_n');
  if (n === 0) return null;
  const milli = Math.round((m?.get('marks_sum') ?? 0) * 1000);
  return Math.floor((2 * milli + 10 * n) / (20 * n)) / 100;
}

function dashboardFigures(m: Sums | undefined, fees: Map<string, bigint> | undefined): DashboardFiguresT {
  return {
    students: int(m, 'students'),
    faculty: int(m, 'faculty'),
    departments: int(m, 'departments'),
    programs: int(m, 'programs'),
    courses: int(m, 'courses'),
    active_enrollments: int(m, 'active_enrollments'),
    books: int(m, 'books'),
    fees_collected: money(fees),
    hostel_beds: int(m, 'hostel_beds'),
    hostel_occupied: int(m, 'hostel_occupied'),
    hostel_occupancy_percent: pct(int(m, 'hostel_occupied'), int(m, 'hostel_beds')),
    attendance_rate: pct(int(m, 'attended'), int(m, 'counted')),
    average_marks: average(m),
  };
}

function districtRow(m: Sums | undefined, fees: Map<string, bigint> | undefined): DistrictRowT {
  const d = dashboardFigures(m, fees);
  return {
    students: d.students,
    teachers: d.faculty,
    attendance_rate: d.attendance_rate,
    average_marks: d.average_marks,
    fees_collected: d.fees_collected,
  };
}

/** The organizations read: the actor's analytics scope, or the subtree of one organization in it (else 404). */
async function scopeOf(db: Db, ctx: RequestContext, orgId?: string): Promise<OrgPredicate> {
  if (!orgId) return (col) => analyticsOrgScope(ctx.actor, col);
  if (!(await findOrg(db, analyticsOrgScope(ctx.actor, sql`o.id`), orgId))) throw notFound('Organization');
  return (col) => inSubtree(col, orgId);
}

/**
 * Seed 004's dashboard (and seed 003's office figures when the actor uses personnel registers), for the
 * actor's scope and per school, from the maintained summaries.
 */
export async function dashboard(db: Db, ctx: RequestContext, q: { organization_id?: string }) {
  const orgs = await scopeOf(db, ctx, q.organization_id);
  const [counters, fees, schools, office] = await Promise.all([
    counterSums(db, orgs, 'school'),
    feeSums(db, orgs, 'school'),
    schoolsIn(db, orgs),
    can(ctx.actor, 'personnel:read')
      ? personnelDashboard(db, ctx, undefined, (at, previous) =>
          usersAt(db, (col) => orgScope(ctx.actor, 'registers:manage', col), at, previous),
        )
      : Promise.resolve(null),
  ]);
  const c = countersBy(counters);
  const f = feesBy(fees);
  return {
    organization_id: q.organization_id ?? null,
    totals: dashboardFigures(c.get(''), f.get('')),
    schools: schools.map((s) => ({
      organization_id: s.id,
      name: s.name,
      ...dashboardFigures(c.get(s.id), f.get(s.id)),
    })),
    office,
  };
}

/** The first day (UTC) of the month `back` months before the current one, as YYYY-MM-01 and YYYY-MM. */
function monthStart(now: Date, back: number) {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  const iso = d.toISOString().slice(0, 10);
  return { date: iso, month: iso.slice(0, 7) };
}

/** Monthly enrollments, attendance and fees collected for the last `months` months, oldest first. */
export async function trends(db: Db, ctx: RequestContext, q: { months?: number; organization_id?: string }) {
  const n = q.months ?? 12;
  const orgs = await scopeOf(db, ctx, q.organization_id);
  const now = new Date();
  const rows = await monthlySums(db, orgs, monthStart(now, n - 1).date);
  const series = Array.from({ length: n }, (_, i) => {
    const { month } = monthStart(now, n - 1 - i);
    const of = rows.filter((r) => r.month === month);
    const get = (metric: string) => Math.round(of.find((r) => r.metric === metric)?.value ?? 0);
    const fees = new Map<string, bigint>();
    for (const r of of) {
      if (r.metric !== 'fees_paid' && r.metric !== 'fees_refunded') continue;
      const v = BigInt(Math.round(r.value)) * (r.metric === 'fees_paid' ? 1n : -1n);
      fees.set(r.currency, (fees.get(r.currency) ?? 0n) + v);
    }
    return {
      month,
      enrollments: get('enrollments'),
      attended: get('attended'),
      counted: get('counted'),
      attendance_rate: pct(get('attended'), get('counted')),
      fees_collected: money(fees),
    };
  });
  return { months: n, series };
}

/**
 * Seed 002's district view: every school of the district (its direct children: schools of a district,
 * campuses of a university) with what lies below each, and the total over the subtree (404 out of scope).
 */
export async function district(db: Db, ctx: RequestContext, id: string) {
  const org = await findOrg(db, analyticsOrgScope(ctx.actor, sql`o.id`), id);
  if (!org) throw notFound('District');
  const orgs: OrgPredicate = (col) => inSubtree(col, id);
  const [schools, counters, fees] = await Promise.all([
    childrenOf(db, id),
    counterSums(db, orgs, { childOf: id }),
    feeSums(db, orgs, { childOf: id }),
  ]);
  const c = countersBy(counters);
  const f = feesBy(fees);
  return {
    organization_id: org.id,
    name: org.name,
    kind: org.kind,
    schools: schools.map((s) => ({
      organization_id: s.id,
      name: s.name,
      ...districtRow(c.get(s.id), f.get(s.id)),
    })),
    total: districtRow(c.get(''), f.get('')),
  };
}
