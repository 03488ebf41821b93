import { type Static, Type } from 'typebox';
import { CursorQueryProps } from '../../kernel/pagination.js';
import { Nullable, Timestamp, Uuid } from '../../kernel/schemas.js';

export const AuditLog = Type.Object(
  {
    id: Uuid(),
    occurred_at: Timestamp(),
    actor_id: Nullable(Uuid()),
    actor_username: Nullable(Type.String()),
    action: Type.String({ examples: ['create', 'update', 'delete', 'grant_role', 'contact'] }),
    entity_type: Type.String({ examples: ['user', 'organization', 'student'] }),
    entity_id: Nullable(Type.String()),
    organization_id: Nullable(Uuid()),
    before: Nullable(Type.Object({}, { additionalProperties: true })),
    after: Nullable(Type.Object({}, { additionalProperties: true })),
    changed_fields: Nullable(Type.Array(Type.String())),
    ip: Nullable(Type.String()),
    user_agent: Nullable(Type.String()),
    request_id: Nullable(Type.String()),
  },
  { $id: 'AuditLog' },
);
export type AuditLogT = Static<typeof AuditLog>;

export const AuditLogQuery = Type.Object(
  {
    ...CursorQueryProps,
    actor_id: Type.Optional(Uuid()),
    entity_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    entity_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    organization_id: Type.Optional(Uuid()),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive lower bound' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive upper bound' })),
  },
  { additionalProperties: false },
);
export type AuditLogQueryT = Static<typeof AuditLogQuery>;
