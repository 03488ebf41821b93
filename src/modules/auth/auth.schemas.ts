import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../kernel/schemas.js';
import { Email, FullName, Password, User, Username } from '../users/index.js';

export const RegisterBody = Type.Object(
  {
    username: Username,
    email: Email,
    password: Password,
    full_name: FullName,
    organization_id: Type.Optional(
      Uuid('Organization to join; needed only when several allow self-registration'),
    ),
  },
  { additionalProperties: false },
);

export const LoginBody = Type.Object(
  {
    username: Type.String({
      minLength: 1,
      maxLength: 254,
      description: 'Username, email or personnel service number',
      examples: ['maria.lopez'],
    }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);

export const TokenPair = Type.Object({
  access_token: Type.String({ description: 'JWT for the Authorization: Bearer header' }),
  refresh_token: Type.String({ description: 'Opaque, single-use; exchange at /auth/refresh' }),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Access token lifetime in seconds' }),
  user: User,
});

export const RefreshBody = Type.Object(
  { refresh_token: Type.String({ minLength: 10, maxLength: 200 }) },
  { additionalProperties: false },
);

export const ChangePasswordBody = Type.Object(
  { current_password: Type.String({ minLength: 1, maxLength: 128 }), new_password: Password },
  { additionalProperties: false },
);

export const EmailBody = Type.Object({ email: Email }, { additionalProperties: false });

const Otp = Type.String({
  pattern: '^[0-9]{6}$',
  description: 'The 6-digit code from the email',
  examples: ['482913'],
});

export const ResetPasswordBody = Type.Object(
  { email: Email, otp: Otp, new_password: Password },
  { additionalProperties: false },
);

export const VerifyEmailBody = Type.Object({ email: Email, otp: Otp }, { additionalProperties: false });

export const OidcBody = Type.Object(
  {
    id_token: Type.String({
      minLength: 20,
      maxLength: 8192,
      description: 'The ID token from Google Sign-In',
    }),
  },
  { additionalProperties: false },
);

export const VerifyTokenOut = Type.Object({
  valid: Type.Literal(true),
  user_id: Uuid(),
  session_id: Uuid(),
  expires_at: Timestamp(),
});

export const SessionOut = Type.Object({
  id: Uuid(),
  device: Nullable(Type.String()),
  user_agent: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  method: Type.String({ description: 'password, refresh or oidc' }),
  created_at: Timestamp(),
  last_used_at: Timestamp(),
  expires_at: Timestamp(),
  current: Type.Boolean({ description: 'The session of the token making this request' }),
});

export const MessageOut = Type.Object({ message: Type.String() });

export const ProvidersOut = Type.Object({
  password: Type.Literal(true, { description: 'Username (or email, or service number) and password' }),
  google: Type.Union(
    [
      Type.Object({
        client_id: Type.String({
          description: 'The OAuth client id to start Google sign-in with (public by design)',
          examples: ['1234567890-abc.apps.googleusercontent.com'],
        }),
      }),
      Type.Null(),
    ],
    { description: 'Google sign-in, when the deployment configured OIDC_GOOGLE_CLIENT_ID; null otherwise' },
  ),
});
