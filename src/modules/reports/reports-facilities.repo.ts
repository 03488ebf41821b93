import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/auth/actor.js';
import { and, checkRange, dateFilter, orgConds, rate } from './reports.repo.js';
import { F, type ReportFilters } from './reports.schemas.js';
import type { ReportDef } from './reports-engine.js';

/** Books of the library filters (department, category), as a condition on `bookCol`'s table alias `bk`. */
function bookConds(f: ReportFilters): SQL {
  const conds: SQL[] = [sql`bk.deleted_at is null`];
  if (f.department_id) conds.push(sql`bk.department_id = ${f.department_id}`);
  if (f.category) conds.push(sql`bk.category = ${f.category}`);
  return and(conds);
}

function libraryRows(actor: Actor, f: ReportFilters): SQL {
  const filtered = Boolean(f.department_id || f.category);
  const loanBooks = filtered
    ? sql`lo.book_id in (select bk.id from library_books bk where bk.organization_id = o.id and ${bookConds(f)})`
    : sql`true`;
  return sql`
    select o.id as k, o.id as organization_id, o.name as organization_name, o.currency,
           b.titles, b.copies, b.copies_available, ln.loans_open, ln.loans_overdue, ln.loans_issued,
           ln.loans_returned, fi.fines_outstanding
      from organizations o
     cross join lateral (
       select count(distinct bk.id)::int as titles, count(cp.id)::int as copies,
              count(cp.id) filter (where cp.state = 'available')::int as copies_available
         from library_books bk left join library_copies cp on cp.book_id = bk.id
        where bk.organization_id = o.id and ${bookConds(f)}) b
     cross join lateral (
       select count(*) filter (where lo.return_date is null)::int as loans_open,
              count(*) filter (where lo.return_date is null and lo.due_date < current_date)::int as loans_overdue,
              count(*) filter (where ${dateFilter(f, sql`lo.issue_date`)})::int as loans_issued,
              count(*) filter (where lo.return_date is not null
                                 and ${dateFilter(f, sql`lo.return_date`)})::int as loans_returned
         from library_loans lo where lo.organization_id = o.id and ${loanBooks}) ln
     cross join lateral (
       select coalesce(sum(lf.amount_minor - lf.paid_minor), 0) as fines_outstanding
         from library_fines lf
        where lf.organization_id = o.id and lf.status = 'outstanding'
          and ${filtered ? sql`lf.loan_id in (select lo.id from library_loans lo where ${loanBooks})` : sql`true`}) fi
     where ${and(orgConds(actor, f, sql`o.id`))}
       and (b.titles > 0 or ln.loans_open + ln.loans_issued + ln.loans_returned > 0)`;
}

const libraryFigures = [
  { key: 'titles', kind: 'int', description: 'Book titles (not deleted)' },
  { key: 'copies', kind: 'int', description: 'Copies of those titles' },
  { key: 'copies_available', kind: 'int', description: 'Copies on the shelf, available to issue' },
  { key: 'loans_open', kind: 'int', description: 'Loans not yet returned' },
  { key: 'loans_overdue', kind: 'int', description: 'Open loans past their due date' },
  { key: 'loans_issued', kind: 'int', description: 'Loans issued in the period (all time without one)' },
  { key: 'loans_returned', kind: 'int', description: 'Loans returned in the period (all time without one)' },
  { key: 'fines_outstanding', kind: 'money', description: 'Unpaid library fines' },
] as const;

const currencyCol = { key: 'currency', kind: 'text', description: 'Currency of the fines' } as const;

export const libraryStats: ReportDef = {
  path: 'library-stats',
  sheet: 'Library',
  summary: 'Library usage statistics per organization',
  description:
    'Per organization with a library: titles, copies, copies available, open and overdue loans, loans issued ' +
    'and returned in the period (from/to), and outstanding fines.',
  permission: 'reports:org',
  filters: {
    department_id: F.department_id,
    category: F.category,
    from: F.from,
    to: F.to,
    date_from: F.date_from,
    date_to: F.date_to,
  },
  validate: checkRange,
  columns: [
    { key: 'organization_id', kind: 'id', description: 'Organization' },
    { key: 'organization_name', kind: 'text', description: 'Organization name' },
    currencyCol,
    ...libraryFigures,
  ],
  totals: [
    { key: 'organizations', kind: 'int', description: 'Organizations' },
    currencyCol,
    ...libraryFigures,
  ],
  rows: libraryRows,
  totalsQuery: (actor, f) => sql`
    select count(*)::int as organizations, currency, sum(titles)::int as titles, sum(copies)::int as copies,
           sum(copies_available)::int as copies_available, sum(loans_open)::int as loans_open,
           sum(loans_overdue)::int as loans_overdue, sum(loans_issued)::int as loans_issued,
           sum(loans_returned)::int as loans_returned, sum(fines_outstanding) as fines_outstanding
      from (${libraryRows(actor, f)}) x group by currency order by currency`,
};

function hostelRows(actor: Actor, f: ReportFilters): SQL {
  const conds = orgConds(actor, f, sql`h.organization_id`);
  if (f.hostel_type) conds.push(sql`h.hostel_type = ${f.hostel_type}`);
  return sql`
    select h.id as k, h.id as hostel_id, h.name as hostel_name, h.hostel_type::text as hostel_type,
           h.organization_id, r.rooms, r.beds, al.occupied, greatest(r.beds - al.occupied, 0)::int as available,
           ${rate(sql`al.occupied`, sql`r.beds`)} as occupancy_rate
      from hostels h
     cross join lateral (select count(*)::int as rooms, coalesce(sum(hr.capacity), 0)::int as beds
                           from hostel_rooms hr
                          where hr.hostel_id = h.id and hr.is_active and hr.room_status <> 'closed') r
     cross join lateral (select count(*)::int as occupied from hostel_allocations ha
                          where ha.hostel_id = h.id and ha.status = 'active') al
     where ${and(conds)}`;
}

const hostelFigures = [
  { key: 'rooms', kind: 'int', description: 'Rooms in use (active, not closed)' },
  { key: 'beds', kind: 'int', description: 'Beds: the capacity of those rooms' },
  { key: 'occupied', kind: 'int', description: 'Active allocations' },
  { key: 'available', kind: 'int', description: 'Free beds' },
  { key: 'occupancy_rate', kind: 'rate', description: 'Occupied over beds, in percent' },
] as const;

export const hostelOccupancy: ReportDef = {
  path: 'hostel-occupancy',
  sheet: 'Hostel occupancy',
  summary: 'Hostel occupancy per hostel',
  description: 'Per hostel: rooms in use, beds, active allocations, free beds and the occupancy rate.',
  permission: 'reports:org',
  filters: { hostel_type: F.hostel_type },
  columns: [
    { key: 'hostel_id', kind: 'id', description: 'Hostel' },
    { key: 'hostel_name', kind: 'text', description: 'Hostel name' },
    { key: 'hostel_type', kind: 'text', description: 'boys, girls, mixed or staff' },
    { key: 'organization_id', kind: 'id', description: "The hostel's organization" },
    ...hostelFigures,
  ],
  totals: [{ key: 'hostels', kind: 'int', description: 'Hostels' }, ...hostelFigures],
  rows: hostelRows,
  totalsQuery: (actor, f) => sql`
    select count(*)::int as hostels, coalesce(sum(rooms), 0)::int as rooms, coalesce(sum(beds), 0)::int as beds,
           coalesce(sum(occupied), 0)::int as occupied, coalesce(sum(available), 0)::int as available,
           ${rate(sql`sum(occupied)`, sql`sum(beds)`)} as occupancy_rate
      from (${hostelRows(actor, f)}) x`,
};
