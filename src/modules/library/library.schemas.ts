import { Type } from 'typebox';
import { Nullable, StringEnum, Uuid } from '../../kernel/schemas.js';

/** Shared schema pieces of the library module. */
export const PatronType = StringEnum(['student', 'faculty', 'staff'], {
  description: 'Patron category: student, faculty or staff (each has its own rule)',
  examples: ['student'],
});

/** Give exactly one: the borrower. */
export const PatronProps = {
  student_id: Type.Optional(
    Uuid('Borrower: a student (give exactly one of student_id, faculty_id, staff_id)'),
  ),
  faculty_id: Type.Optional(Uuid('Borrower: a faculty member')),
  staff_id: Type.Optional(Uuid('Borrower: a staff member')),
};

/** The patron as responses show it. */
export const PatronOut = {
  patron_type: PatronType,
  student_id: Nullable(Uuid()),
  faculty_id: Nullable(Uuid()),
  staff_id: Nullable(Uuid()),
  patron_name: Type.String({ description: 'Full name of the borrower', examples: ['Ava Lopez'] }),
};

export const Money = (description = 'Decimal string in `currency`') =>
  Type.String({ description, examples: ['30.00'] });
export const Currency = Type.String({ description: 'ISO 4217 currency', examples: ['USD'] });
export const Barcode = Type.String({
  minLength: 1,
  maxLength: 60,
  pattern: '^[A-Za-z0-9._/-]+$',
  description: 'Barcode / accession number of a copy, unique per organization',
  examples: ['ACC-000123'],
});
