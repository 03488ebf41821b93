import { type Static, Type } from 'typebox';
import { DateStr, Nullable, Timestamp, Uuid } from '../../kernel/schemas.js';

export const Figure = Type.Object(
  {
    value: Type.Integer({ description: 'The figure now (or at the end of `as_of`)' }),
    previous: Type.Integer({ description: 'The figure at the end of the previous month' }),
    change: Type.Integer({ description: 'value − previous' }),
    change_percent: Nullable(
      Type.Number({ description: 'change / previous × 100, one decimal; null when previous is 0' }),
    ),
  },
  { description: 'A figure with its month-over-month change' },
);
export type FigureT = Static<typeof Figure>;

const ByStatus = Type.Object(
  {
    active: Figure,
    inactive: Figure,
    awol: Figure,
    death: Figure,
    rtu: Figure,
    posted: Figure,
    cse: Figure,
  },
  { description: 'Personnel per status, each with its month-over-month change' },
);

const Period = {
  as_of: Timestamp('The moment the figures describe'),
  previous_as_of: Timestamp('The end of the previous month (the moment `previous` describes)'),
};

export const RegisterAnalytics = Type.Object({
  register_id: Uuid(),
  ...Period,
  personnel: Figure,
  by_status: ByStatus,
});

export const PersonnelDashboard = Type.Object({
  ...Period,
  registers: Figure,
  users: Nullable(Figure),
  personnel: Figure,
  by_status: ByStatus,
});

export const AnalyticsQuery = Type.Object(
  {
    as_of: Type.Optional(
      DateStr(
        'Figures at the end of this day (UTC), compared with the end of the month before it; default now',
      ),
    ),
  },
  { additionalProperties: false },
);
