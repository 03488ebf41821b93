import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { Barcode } from './library.schemas.js';

const Isbn = Type.String({
  minLength: 10,
  maxLength: 20,
  pattern: '^[0-9Xx -]+$',
  description: 'ISBN-10 or ISBN-13; hyphens and spaces are ignored, the check digit must be right',
  examples: ['978-0-306-40615-7'],
});
const Text = (max: number, example: string, description: string) =>
  Type.String({ minLength: 1, maxLength: max, description, examples: [example] });

export const Book = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid('Organization (library) that owns the book'),
    isbn: Nullable(Type.String({ description: 'Normalised ISBN (no hyphens)', examples: ['9780306406157'] })),
    title: Type.String({ examples: ['Introduction to Algorithms'] }),
    author: Type.String({ examples: ['Cormen, Leiserson, Rivest, Stein'] }),
    category: Nullable(Type.String({ examples: ['computer science'] })),
    department_id: Nullable(Uuid('Department the book is shelved for')),
    is_reference: Type.Boolean({ description: 'Reference books are never issued' }),
    publisher: Nullable(Type.String()),
    publication_year: Nullable(Type.Integer()),
    copies_total: Type.Integer({ description: 'Copies not withdrawn' }),
    copies_available: Type.Integer({ description: 'Copies on the shelf, ready to issue' }),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'LibraryBook' },
);
export type BookT = Static<typeof Book>;

const bookFields = {
  isbn: Type.Optional(Nullable(Isbn)),
  title: Text(300, 'Introduction to Algorithms', 'Title'),
  author: Text(300, 'Cormen, Leiserson, Rivest, Stein', 'Author(s)'),
  category: Type.Optional(Nullable(Text(100, 'computer science', 'Category / subject heading'))),
  department_id: Type.Optional(Nullable(Uuid('Department (academics) of the same organization tree'))),
  is_reference: Type.Optional(Type.Boolean({ default: false, description: 'Reference only: never issued' })),
  publisher: Type.Optional(Nullable(Text(200, 'MIT Press', 'Publisher'))),
  publication_year: Type.Optional(
    Nullable(Type.Integer({ minimum: 1400, maximum: 2200, description: 'Year published', examples: [2009] })),
  ),
};

export const CreateBook = Type.Object(
  {
    organization_id: Uuid('Organization (in your scope)'),
    ...bookFields,
    copies: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 500,
        description: 'Create this many copies with generated barcodes',
      }),
    ),
    barcodes: Type.Optional(
      Type.Array(Barcode, {
        maxItems: 500,
        description: 'Create one copy per barcode (instead of `copies`)',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        organization_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
        isbn: '978-0-262-03384-8',
        title: 'Introduction to Algorithms',
        author: 'Cormen, Leiserson, Rivest, Stein',
        category: 'computer science',
        copies: 3,
      },
    ],
  },
);
export type CreateBookT = Static<typeof CreateBook>;

export const UpdateBook = Type.Partial(Type.Object(bookFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateBookT = Static<typeof UpdateBook>;

const filterProps = {
  category: Type.Optional(Text(100, 'computer science', 'Only this category')),
  department_id: Type.Optional(Uuid('Only books of this department')),
  is_reference: Type.Optional(
    Type.Boolean({ description: 'Only reference (true) or lendable (false) books' }),
  ),
  available_only: Type.Optional(Type.Boolean({ description: 'Only books with a copy on the shelf' })),
  organization_id: Type.Optional(Uuid('Only books of this organization')),
};

export const ListBooksQuery = Type.Object(
  { ...PageQueryProps, ...filterProps },
  { additionalProperties: false },
);
export type ListBooksQueryT = Static<typeof ListBooksQuery>;

export const SearchBooksQuery = Type.Object(
  {
    q: Text(200, 'algorithms', 'Title, author or ISBN fragment (substring, case-insensitive; best first)'),
    ...PageQueryProps,
    ...filterProps,
  },
  { additionalProperties: false },
);
export type SearchBooksQueryT = Static<typeof SearchBooksQuery>;

export const CopyState = StringEnum(['available', 'on_loan', 'on_hold', 'lost', 'withdrawn'], {
  description: 'available, on_loan, on_hold (set aside for a hold), lost or withdrawn',
});

export const Copy = Type.Object(
  {
    id: Uuid(),
    book_id: Uuid(),
    organization_id: Uuid(),
    barcode: Type.String({ examples: ['ACC-000123'] }),
    state: CopyState,
    shelf_location: Nullable(Type.String()),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'LibraryCopy' },
);
export type CopyT = Static<typeof Copy>;

export const AddCopies = Type.Object(
  {
    barcodes: Type.Optional(
      Type.Array(Barcode, { minItems: 1, maxItems: 500, description: 'One copy each' }),
    ),
    count: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: 'Or: this many copies with generated barcodes' }),
    ),
    shelf_location: Type.Optional(Text(100, 'QA76 .C67', 'Where the copies are shelved')),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ barcodes: ['ACC-000124', 'ACC-000125'] }] },
);
export type AddCopiesT = Static<typeof AddCopies>;

export const UpdateCopy = Type.Object(
  {
    state: Type.Optional(
      StringEnum(['available', 'lost', 'withdrawn'], {
        description: 'Mark lost or withdrawn, or back to available (not while on loan or on hold)',
      }),
    ),
    barcode: Type.Optional(Barcode),
    shelf_location: Type.Optional(Nullable(Text(100, 'QA76 .C67', 'Shelf location'))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCopyT = Static<typeof UpdateCopy>;

export const BookCopyParams = Type.Object({ id: Uuid('Book') }, { additionalProperties: false });
