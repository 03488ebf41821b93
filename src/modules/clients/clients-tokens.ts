import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { uuidv7 } from '../../kernel/ids.js';

/** What a client access token carries: the client, its current credential, its organization and scopes. */
export interface ClientClaims {
  /** api_clients.id */
  sub: string;
  /** The credential (api_clients.credential_id) the token was issued under; rotation changes it. */
  sid: string;
  /** Organization whose subtree the client sees. */
  org: string;
  /** Granted scopes, space-separated as in OAuth 2.0. */
  scope: string;
  jti: string;
  exp: number;
}

const TYP = 'oneroster-client';

/**
 * Signs and verifies API client access tokens (JWT, HS256, the deployment's JWT secret). They carry their own
 * `typ` and audience, so a client token is never accepted as a user's access token nor the other way round.
 */
export class ClientTokens {
  private readonly key: Uint8Array;
  private readonly audience: string;
  constructor(
    secret: string,
    private readonly issuer: string,
    readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
    this.audience = `${issuer}:oneroster`;
  }

  async sign(c: { clientId: string; credentialId: string; organizationId: string; scopes: string[] }) {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.ttlSeconds;
    const token = await new SignJWT({
      typ: TYP,
      sid: c.credentialId,
      org: c.organizationId,
      scope: c.scopes.join(' '),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(c.clientId)
      .setJti(uuidv7())
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, exp };
  }

  /** The claims, or null for an invalid, expired or foreign token. */
  async verify(token: string): Promise<ClientClaims | null> {
    try {
      const { payload: p } = await jwtVerify(token, this.key, {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: ['HS256'],
      });
      if (
        p.typ !== TYP ||
        typeof p.sid !== 'string' ||
        typeof p.org !== 'string' ||
        typeof p.scope !== 'string' ||
        !p.sub ||
        !p.jti
      )
        return null;
      return { sub: p.sub, sid: p.sid, org: p.org, scope: p.scope, jti: p.jti, exp: p.exp ?? 0 };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return null;
      throw err;
    }
  }
}
