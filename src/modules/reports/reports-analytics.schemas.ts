import { type Static, Type } from 'typebox';
import { Nullable, Uuid } from '../../kernel/schemas.js';
import { PersonnelDashboard } from '../personnel/index.js';

const Count = (description: string) => Type.Integer({ description, examples: [1250] });
const Pct = (description: string) => Nullable(Type.Number({ description, examples: [91.25] }));

export const MoneyByCurrency = Type.Array(
  Type.Object({
    currency: Type.String({ description: 'ISO 4217 currency', examples: ['USD'] }),
    amount: Type.String({ description: 'Payments minus refunds, decimal string', examples: ['125000.00'] }),
  }),
  { description: 'Fees collected (ledger payments − refunds), one entry per currency' },
);

/** Seed 004's dashboard counts, for the whole scope or one school. */
export const DashboardFigures = Type.Object({
  students: Count('Students (not deleted)'),
  faculty: Count('Faculty members (not deleted)'),
  departments: Count('Departments'),
  programs: Count('Programs'),
  courses: Count('Courses'),
  active_enrollments: Count('Class enrollments with status enrolled'),
  books: Count('Library book titles (not deleted)'),
  fees_collected: MoneyByCurrency,
  hostel_beds: Count('Beds in hostel rooms in use'),
  hostel_occupied: Count('Active hostel allocations'),
  hostel_occupancy_percent: Pct('Occupied over beds, in percent; null without beds'),
  attendance_rate: Pct('Attended (present + late) over counted records, in percent, all time'),
  average_marks: Pct('Average percentage of posted course grades'),
});
export type DashboardFiguresT = Static<typeof DashboardFigures>;

export const SchoolFigures = Type.Intersect([
  Type.Object({ organization_id: Uuid('School'), name: Type.String({ description: 'School name' }) }),
  DashboardFigures,
]);

export const Dashboard = Type.Object({
  organization_id: Nullable(Uuid('The organization asked for, or null for your whole scope')),
  totals: DashboardFigures,
  schools: Type.Array(SchoolFigures, {
    description: 'The same figures per school in scope (a district admin sees every school of the district)',
  }),
  office: Nullable(PersonnelDashboard),
});

export const DashboardQuery = Type.Object(
  {
    organization_id: Type.Optional(
      Uuid('Only this organization and its subtree (404 when it is outside your scope)'),
    ),
  },
  { additionalProperties: false },
);

export const TrendsQuery = Type.Object(
  {
    months: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 60, default: 12, description: 'Months to return, up to this one' }),
    ),
    organization_id: DashboardQuery.properties.organization_id,
  },
  { additionalProperties: false },
);

export const TrendMonth = Type.Object({
  month: Type.String({ description: 'The month (UTC), YYYY-MM', examples: ['2026-09'] }),
  enrollments: Count('Class enrollments created in the month'),
  attended: Count('Present and late records dated in the month'),
  counted: Count('Present, late and absent records dated in the month'),
  attendance_rate: Pct('attended / counted in percent; null without records'),
  fees_collected: MoneyByCurrency,
});

export const Trends = Type.Object({
  months: Type.Integer({ description: 'Months returned' }),
  series: Type.Array(TrendMonth, { description: 'Oldest month first, ending with the current month' }),
});

export const DistrictRow = Type.Object({
  students: Count('Students (not deleted)'),
  teachers: Count('Faculty members (not deleted)'),
  attendance_rate: Pct('Attended over counted records, in percent, all time'),
  average_marks: Pct('Average percentage of posted course grades'),
  fees_collected: MoneyByCurrency,
});
export type DistrictRowT = Static<typeof DistrictRow>;

export const District = Type.Object({
  organization_id: Uuid('The district'),
  name: Type.String({ description: 'District name' }),
  kind: Type.String({ description: 'Organization kind', examples: ['district'] }),
  schools: Type.Array(
    Type.Intersect([
      Type.Object({ organization_id: Uuid('School'), name: Type.String({ description: 'School name' }) }),
      DistrictRow,
    ]),
    {
      description:
        'Every school of the district (its direct child organizations; campuses of a university), by name, ' +
        'each with everything below it',
    },
  ),
  total: DistrictRow,
});

export const EmptyQuery = Type.Object({}, { additionalProperties: false });
