import { sql } from 'drizzle-orm';
import { bigint, boolean, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { organizations } from '../organizations/index.js';
import { students } from '../students/index.js';
import { users } from '../users/index.js';

/** What a document is attached to. */
export const documentEntityType = pgEnum('document_entity_type', [
  'student',
  'faculty',
  'staff',
  'class',
  'organization',
]);

/**
 * An uploaded file and its metadata. `storage_key` names the object in the storage interface and is never
 * returned by the API; `sha256` is the digest of the stored bytes.
 */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    description: text('description'),
    documentType: text('document_type').notNull().default('other'),
    relatedEntityType: documentEntityType('related_entity_type'),
    relatedEntityId: uuid('related_entity_id'),
    /** Set when the document is attached to a student: the student and their guardians may read it. */
    studentId: uuid('student_id').references(() => students.id, { onDelete: 'restrict' }),
    isPublic: boolean('is_public').notNull().default(false),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('documents_org_created_idx').on(t.organizationId, t.createdAt, t.id),
    index('documents_org_type_idx').on(t.organizationId, t.documentType),
    index('documents_uploader_idx').on(t.uploadedBy, t.createdAt),
    index('documents_student_idx').on(t.studentId, t.createdAt),
    index('documents_entity_idx').on(t.relatedEntityType, t.relatedEntityId),
    index('documents_tags_idx').using('gin', t.tags),
    index('documents_search_trgm_idx').using(
      'gin',
      sql`(lower(${t.title} || ' ' || coalesce(${t.description}, '') || ' ' || ${t.fileName})) gin_trgm_ops`,
    ),
  ],
);
