import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { ONEROSTER_SCOPES } from './clients.policy.js';

const Scope = StringEnum(ONEROSTER_SCOPES, {
  description: 'A OneRoster 1.2 scope URI',
  examples: ['https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly'],
});

export const ApiClient = Type.Object(
  {
    id: Uuid('API client id (used in /api-clients/{id})'),
    client_id: Type.String({
      description: 'OAuth 2.0 client_id the client presents',
      examples: ['or_3q2x…'],
    }),
    name: Type.String({ description: 'Who the client is (an LMS, a sync tool)' }),
    organization_id: Uuid('The organization subtree the client may read and write'),
    scopes: Type.Array(Scope, { description: 'Granted OneRoster scopes' }),
    created_by: Nullable(Uuid('Admin who registered the client')),
    last_token_at: Nullable(Timestamp('When the client last obtained a token')),
    rotated_at: Nullable(Timestamp('When the secret was last rotated')),
    revoked_at: Nullable(Timestamp('When the client was revoked (its tokens stopped then)')),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'ApiClient', description: 'A registered API client; the secret is never returned after creation' },
);
export type ApiClientT = Static<typeof ApiClient>;

export const ApiClientWithSecret = Type.Object(
  {
    client: ApiClient,
    client_secret: Type.String({
      description: 'The client secret, shown this once (only its hash is stored); keep it in a vault',
    }),
  },
  { $id: 'ApiClientWithSecret' },
);
export type ApiClientWithSecretT = Static<typeof ApiClientWithSecret>;

export const CreateApiClient = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Display name',
      examples: ['Canvas LMS'],
    }),
    organization_id: Uuid('Organization whose subtree the client may see (in your admin scope)'),
    scopes: Type.Array(Scope, {
      minItems: 1,
      maxItems: ONEROSTER_SCOPES.length,
      uniqueItems: true,
      description: 'OneRoster scopes to grant',
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'Microsoft School Data Sync',
        organization_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
        scopes: [
          'https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly',
          'https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly',
        ],
      },
    ],
  },
);
export type CreateApiClientT = Static<typeof CreateApiClient>;

export const ListApiClientsQuery = Type.Object(
  {
    ...PageQueryProps,
    organization_id: Type.Optional(Uuid('Only clients bound to this organization')),
    include_revoked: Type.Optional(
      Type.Boolean({ default: false, description: 'Also list revoked clients' }),
    ),
  },
  { additionalProperties: false },
);
export type ListApiClientsQueryT = Static<typeof ListApiClientsQuery>;
