import { Type } from 'typebox';
import { registerErrorBody } from '../../kernel/error-handler.js';
import type { AppError } from '../../kernel/errors.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { exchangeToken, OAuthError } from '../clients/index.js';

const OAuthErrorBody = Type.Object(
  {
    error: Type.String({ description: 'RFC 6749 error code', examples: ['invalid_client'] }),
    error_description: Type.String({ description: 'What went wrong' }),
  },
  { description: 'RFC 6749 §5.2 error response' },
);

const TokenBody = Type.Object(
  {
    grant_type: Type.Optional(
      Type.String({ maxLength: 100, description: 'client_credentials', examples: ['client_credentials'] }),
    ),
    scope: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'Space-separated scopes (default: all the client holds)',
        examples: ['https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly'],
      }),
    ),
    client_id: Type.Optional(Type.String({ maxLength: 200, description: 'When not sent with HTTP Basic' })),
    client_secret: Type.Optional(
      Type.String({ maxLength: 200, description: 'When not sent with HTTP Basic' }),
    ),
  },
  { additionalProperties: false },
);

function basic(header: string | undefined): { id: string; secret: string } | null {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header) : null;
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before Base64.
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return null;
  }
}

/**
 * Every error of the token endpoint — schema validation, the input guards, a too-large or non-form body, the
 * rate limit — answers RFC 6749 §5.2's shape instead of the API envelope, as OAuth clients expect.
 */
function oauthError(err: AppError) {
  const error =
    err.statusCode === 401 ? 'invalid_client' : err.statusCode >= 500 ? 'server_error' : 'invalid_request';
  const detail = err.details.map((d) => (d.field ? `${d.field} ${d.message}` : d.message)).join('; ');
  return { error, error_description: detail ? `${err.message}: ${detail}` : err.message };
}

/** The OAuth 2.0 token endpoint of the OneRoster provider (client credentials grant, RFC 6749 §4.4). */
export const onerosterTokenRoutes: RoutePlugin = async (app) => {
  const deps = app.deps;
  registerErrorBody('/ims/oneroster/v1p2/token', oauthError, 'replace');
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 8192 },
    (_request, body, done) => {
      const out: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(String(body))) out[k] = v;
      done(null, out);
    },
  );

  app.post(
    '/v1p2/token',
    {
      config: {
        permission: 'public',
        rateLimit: { max: deps.config.rateLimit.authMax, timeWindow: deps.config.rateLimit.windowMs },
      },
      schema: {
        tags: ['oneroster'],
        summary: 'OAuth 2.0 token (client credentials) for OneRoster API clients',
        description:
          'Form-encoded (`application/x-www-form-urlencoded`) `grant_type=client_credentials` and optional ' +
          '`scope`; the client authenticates with HTTP Basic (`client_id:client_secret`) or `client_id` and ' +
          '`client_secret` in the body. Returns a short-lived bearer token for `/ims/oneroster/…`. Errors use ' +
          'the RFC 6749 shape (`error`, `error_description`). Rate-limited like sign-in.',
        body: TokenBody,
        response: {
          200: Type.Object({
            access_token: Type.String({ description: 'Bearer token (JWT)' }),
            token_type: Type.String({ examples: ['bearer'] }),
            expires_in: Type.Integer({ description: 'Seconds until it expires' }),
            scope: Type.String({ description: 'Granted scopes, space-separated' }),
          }),
          400: OAuthErrorBody,
          401: OAuthErrorBody,
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      const type = String(request.headers['content-type'] ?? '');
      if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
        reply.status(400);
        return { error: 'invalid_request', error_description: 'Send the request form-encoded' };
      }
      const body = request.body ?? {};
      const viaBasic = basic(request.headers.authorization);
      if (viaBasic && (body.client_id !== undefined || body.client_secret !== undefined)) {
        reply.status(400);
        return { error: 'invalid_request', error_description: 'Use one client authentication method' };
      }
      try {
        return await exchangeToken(deps, {
          grantType: body.grant_type,
          clientId: viaBasic?.id ?? body.client_id,
          clientSecret: viaBasic?.secret ?? body.client_secret,
          scope: body.scope,
        });
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        reply.status(err.status);
        if (err.status === 401) reply.header('www-authenticate', 'Basic realm="oneroster"');
        return { error: err.error, error_description: err.description };
      }
    },
  );
};
