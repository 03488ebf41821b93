import { createHash, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { uuidv7 } from '../ids.js';

export interface AccessClaims {
  sub: string;
  sid: string;
  jti: string;
  exp: number;
}

/** How many verified access tokens are remembered (a bounded map, oldest evicted first). */
const VERIFIED_CACHE_MAX = 10_000;

/** Signs and verifies access tokens (JWT, HS256) and mints opaque refresh tokens. */
export class TokenService {
  private readonly key: Uint8Array;
  /**
   * Tokens whose signature and claims already verified, by exact token string: a client sends the same
   * token on every request until it expires, and Web Crypto's HMAC verify (a thread-pool job) is a large
   * share of a cheap request's CPU. A hit only skips re-checking the same bytes; expiry is still checked on
   * every use, and revocation is checked by the caller as before.
   */
  private readonly verified = new Map<string, AccessClaims>();
  constructor(
    secret: string,
    private readonly issuer: string,
    readonly accessTtlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async signAccess(userId: string, sessionId: string): Promise<{ token: string; jti: string; exp: number }> {
    const jti = uuidv7();
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.accessTtlSeconds;
    const token = await new SignJWT({ sid: sessionId, typ: 'access' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setJti(jti)
      .setIssuer(this.issuer)
      .setAudience(this.issuer)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, jti, exp };
  }

  /** Returns the claims, or null for any invalid, expired or foreign token (the caller answers 401). */
  async verifyAccess(token: string): Promise<AccessClaims | null> {
    const known = this.verified.get(token);
    if (known) {
      if (known.exp > Date.now() / 1000) return known;
      this.verified.delete(token);
      return null;
    }
    const claims = await this.verifySignedAccess(token);
    if (claims) {
      if (this.verified.size >= VERIFIED_CACHE_MAX) {
        this.verified.delete(this.verified.keys().next().value as string);
      }
      this.verified.set(token, claims);
    }
    return claims;
  }

  private async verifySignedAccess(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: this.issuer,
        audience: this.issuer,
        algorithms: ['HS256'],
      });
      if (payload.typ !== 'access' || typeof payload.sid !== 'string' || !payload.sub || !payload.jti)
        return null;
      return { sub: payload.sub, sid: payload.sid, jti: payload.jti, exp: payload.exp ?? 0 };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return null;
      throw err;
    }
  }
}

/** 256 random bits, URL-safe; only its SHA-256 is stored. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
