import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { PatronOut, PatronProps, PatronType } from './library.schemas.js';

export const HoldStatus = StringEnum(['waiting', 'ready', 'fulfilled', 'cancelled', 'expired'], {
  description:
    'waiting in the queue, ready for pickup (a copy is set aside until pickup_by), fulfilled (issued), ' +
    'cancelled, or expired (not collected by pickup_by; the copy went to the next hold or the shelf)',
});

export const Hold = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    book_id: Uuid(),
    book_title: Type.String(),
    ...PatronOut,
    status: HoldStatus,
    queue_position: Nullable(Type.Integer({ description: 'Place in the queue (1 = next) while waiting' })),
    copy_id: Nullable(Uuid('Copy set aside while ready')),
    barcode: Nullable(Type.String({ description: 'Barcode of the copy set aside' })),
    placed_at: Timestamp(),
    ready_at: Nullable(Timestamp()),
    pickup_by: Nullable(DateStr('Last day to collect a ready hold')),
    closed_at: Nullable(Timestamp()),
    loan_id: Nullable(Uuid('Loan that fulfilled the hold')),
  },
  { $id: 'LibraryHold' },
);
export type HoldT = Static<typeof Hold>;

export const PlaceHold = Type.Object(
  {
    book_id: Uuid('Book to reserve (it must have no copy on the shelf)'),
    ...PatronProps,
  },
  {
    additionalProperties: false,
    description:
      'Without a patron id the hold is for yourself (a student or faculty member); the desk names one.',
    examples: [{ book_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d' }],
  },
);
export type PlaceHoldT = Static<typeof PlaceHold>;

export const ListHoldsQuery = Type.Object(
  {
    ...PageQueryProps,
    book_id: Type.Optional(Uuid('The queue of one book')),
    status: Type.Optional(HoldStatus),
    patron_type: Type.Optional(PatronType),
    student_id: Type.Optional(Uuid('Holds of one student')),
    faculty_id: Type.Optional(Uuid('Holds of one faculty member')),
    staff_id: Type.Optional(Uuid('Holds of one staff member')),
  },
  { additionalProperties: false },
);
export type ListHoldsQueryT = Static<typeof ListHoldsQuery>;

export const HoldSweepResult = Type.Object({
  expired: Type.Integer({ description: 'Ready holds closed as expired (pickup date passed)' }),
  books: Type.Integer({ description: 'Books whose set-aside copies were passed on' }),
  more: Type.Boolean({ description: 'More books remain: call again' }),
});
