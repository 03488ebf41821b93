import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

export const EntityType = StringEnum(['student', 'faculty', 'staff', 'class', 'organization'], {
  description: 'What the document is attached to',
  examples: ['student'],
});

const DocumentType = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[a-z0-9_-]+$',
  description: 'Free category in lower case: transcript, id_card, medical, certificate, policy, other …',
  examples: ['transcript'],
});
const Tag = Type.String({ minLength: 1, maxLength: 40, pattern: '^[^,]+$', description: 'A tag' });

/** A document's metadata as the API shows it; never the storage key or path. */
export const Document = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid('Organization the document belongs to'),
    uploaded_by: Nullable(Uuid('User who uploaded it')),
    title: Type.String({ examples: ['Transcript 2025-2026'] }),
    description: Nullable(Type.String()),
    document_type: Type.String({ examples: ['transcript'] }),
    related_entity_type: Nullable(EntityType),
    related_entity_id: Nullable(Uuid('The record it is attached to')),
    student_id: Nullable(Uuid('Set when attached to a student')),
    is_public: Type.Boolean({ description: 'Readable by every signed-in member of the organization' }),
    tags: Type.Array(Type.String()),
    file_name: Type.String({ description: 'Original file name (sanitized)', examples: ['transcript.pdf'] }),
    content_type: Type.String({
      description: 'Checked against the content at upload',
      examples: ['application/pdf'],
    }),
    size: Type.Integer({ description: 'Bytes' }),
    sha256: Type.String({ description: 'SHA-256 of the stored bytes (hex)' }),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'Document', additionalProperties: false },
);
export type DocumentT = Static<typeof Document>;

/** The text fields of the multipart upload, after coercion (validated by the service). */
export const UploadFields = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200, description: 'Title (default: the file name)' }),
    description: Type.Optional(Type.String({ maxLength: 2000, description: 'Free text' })),
    document_type: Type.Optional(DocumentType),
    related_entity_type: Type.Optional(EntityType),
    related_entity_id: Type.Optional(Uuid('The record to attach to (with related_entity_type)')),
    is_public: Type.Optional(Type.Boolean({ description: 'Default false' })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 20, description: 'Comma-separated in the form' })),
  },
  { additionalProperties: false },
);
export type UploadFieldsT = Static<typeof UploadFields>;

/** OpenAPI description of the multipart body; the handler reads it as a stream. */
export const UploadBody = Type.Object(
  {
    file: Type.Optional(
      Type.String({
        description: `The file (${'PDF, JPEG, PNG, WebP, DOC, DOCX, XLS, XLSX, TXT, CSV'}, at most 10 MB)`,
        contentMediaType: 'application/octet-stream',
      }),
    ),
    title: Type.Optional(Type.String({ description: 'Title (default: the file name)' })),
    description: Type.Optional(Type.String()),
    document_type: Type.Optional(Type.String()),
    related_entity_type: Type.Optional(EntityType),
    related_entity_id: Type.Optional(Uuid()),
    is_public: Type.Optional(Type.String({ description: 'true or false' })),
    tags: Type.Optional(Type.String({ description: 'Comma-separated tags' })),
  },
  { description: 'multipart/form-data: one file part and text fields, in any order' },
);

export const ListDocumentsQuery = Type.Object(
  {
    ...PageQueryProps,
    user_id: Type.Optional(Uuid('Uploaded by this user')),
    uploaded_by: Type.Optional(Uuid('Alias of user_id')),
    document_type: Type.Optional(DocumentType),
    related_entity_type: Type.Optional(EntityType),
    related_entity_id: Type.Optional(Uuid()),
    student_id: Type.Optional(Uuid('Attached to this student')),
    is_public: Type.Optional(Type.Boolean()),
    tag: Type.Optional(Tag),
  },
  { additionalProperties: false },
);
export type ListDocumentsQueryT = Static<typeof ListDocumentsQuery>;

export const SearchDocumentsQuery = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Matches title, description, file name and tags',
    }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
export type SearchDocumentsQueryT = Static<typeof SearchDocumentsQuery>;

export const StudentDocumentsQuery = Type.Object(
  { ...PageQueryProps, document_type: Type.Optional(DocumentType) },
  { additionalProperties: false },
);
export type StudentDocumentsQueryT = Static<typeof StudentDocumentsQuery>;
