import createClient from 'openapi-fetch';
import { t } from '../i18n/en';
import type { components, paths } from './schema';

export type User = components['schemas']['User'];
export type Role = User['roles'][number]['role'];

/**
 * The signed-in session. The access token lives in memory only; the refresh token is kept in
 * localStorage so a reload (or a teacher's phone locking) does not sign the user out. Refresh tokens
 * rotate on every use and the API revokes the whole family when a used one is replayed.
 */
const REFRESH_KEY = 'registrar.refresh_token';
let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

export const session = {
  get access() {
    return accessToken;
  },
  get refresh() {
    return localStorage.getItem(REFRESH_KEY);
  },
  set(access: string, refresh: string) {
    accessToken = access;
    localStorage.setItem(REFRESH_KEY, refresh);
  },
  clear() {
    accessToken = null;
    localStorage.removeItem(REFRESH_KEY);
    for (const l of listeners) l();
  },
  /** Called when the session ends on its own (refresh refused): the app shows the sign-in screen. */
  onEnded(l: () => void): () => void {
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  },
};

/** Trades the stored refresh token for a new pair (once at a time, however many requests hit a 401). */
export function refreshSession(): Promise<boolean> {
  const token = session.refresh;
  if (!token) return Promise.resolve(false);
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
      });
      if (!res.ok) {
        if (res.status === 401 || res.status === 400) session.clear();
        return false;
      }
      const body = (await res.json()) as { data: { access_token: string; refresh_token: string } };
      session.set(body.data.access_token, body.data.refresh_token);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function withAuth(req: Request): Request {
  if (accessToken) req.headers.set('authorization', `Bearer ${accessToken}`);
  return req;
}

/** fetch with the bearer token; a 401 refreshes the session once and retries the request. */
export async function authFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const res = await fetch(withAuth(input));
  if (res.status !== 401 || input.url.includes('/api/v1/auth/') || !session.refresh) return res;
  if (!(await refreshSession())) return res;
  return fetch(withAuth(retry));
}

/** The typed client of the public API (types generated from /openapi.json by scripts/openapi-dump.ts). */
export const api = createClient<paths>({ baseUrl: '', fetch: authFetch });

export interface ErrorDetail {
  field?: string;
  message?: string;
}

/** An API error from the error envelope, with a message in plain words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

interface Envelope {
  error?: { code?: string; message?: string; details?: ErrorDetail[] };
}

export function toApiError(status: number, body: unknown): ApiError {
  const e = (body as Envelope | null)?.error;
  return new ApiError(status, e?.code ?? 'error', e?.message ?? `HTTP ${status}`, e?.details ?? []);
}

/** The data of an openapi-fetch result, or throws its envelope as an ApiError. */
export function unwrap<T>(res: { data?: T; error?: unknown; response: Response }): NonNullable<T> {
  if (res.error !== undefined || !res.response.ok || res.data == null) {
    throw toApiError(res.response.status, res.error);
  }
  return res.data as NonNullable<T>;
}

/** What to tell the user about an error: the envelope's message in plain words, with field problems. */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return t.errors.network;
  const known: Record<string, string> = {
    unauthenticated: t.errors.unauthenticated,
    invalid_token: t.errors.unauthenticated,
    forbidden: t.errors.forbidden,
    not_found: t.errors.not_found,
    rate_limited: t.errors.rate_limited,
    invalid_credentials: t.errors.invalid_credentials,
  };
  if (err.status >= 500) return t.errors.server;
  if (err.code === 'validation_failed' && err.details.length) {
    return `${t.errors.validation} ${err.details
      .map((d) =>
        d.field ? `${d.field.replace(/^\/?(body\/)?/, '')}: ${d.message ?? ''}` : (d.message ?? ''),
      )
      .join('; ')}`;
  }
  // Business-rule messages are written for people ("never more than you owe"): show them as they are.
  return known[err.code] ?? err.message;
}

/** Downloads an authenticated file (a receipt PDF, an export) through a temporary object URL. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await authFetch(new Request(path));
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => null));
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(cd)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
