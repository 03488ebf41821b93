import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { api, authFetch, toApiError, unwrap } from './api/client';
import type { components } from './api/schema';
import { t } from './i18n/en';
import { Button } from './ui';

/** Components and helpers of the admin screens (people and structure): confirmations, files, organizations. */

/**
 * A destructive action asked twice: the first press shows the question with "Yes" and "Cancel" in place,
 * so a slip of the finger (or the keyboard) never deletes anything.
 */
export function ConfirmButton({
  label,
  text,
  question,
  confirmLabel,
  onConfirm,
  busy,
  disabled,
}: {
  /** The button's accessible name ("Delete Biology 1"). */
  label: string;
  /** Shorter visible text ("Delete"), when the row already says what it is about. */
  text?: string;
  question: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void;
  busy?: boolean;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button
        variant="secondary"
        disabled={disabled}
        busy={busy}
        aria-label={text ? label : undefined}
        onClick={() => setAsking(true)}
      >
        {text ?? label}
      </Button>
    );
  }
  return (
    <fieldset className="confirm">
      <legend className="sr-only">{label}</legend>
      <span>{question}</span>{' '}
      <Button
        variant="primary"
        busy={busy}
        disabled={busy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel ?? t.admin.yes}
      </Button>{' '}
      <Button variant="ghost" onClick={() => setAsking(false)}>
        {t.common.cancel}
      </Button>
    </fieldset>
  );
}

/** A request answered without a body (204 of a DELETE): throws the error envelope, else returns nothing. */
export function noContent(res: { error?: unknown; response: Response }): void {
  if (res.error !== undefined || !res.response.ok) throw toApiError(res.response.status, res.error);
}

/** Sends a multipart form (uploads) with the session, and answers the envelope's `data` or throws its error. */
export async function postForm<T>(path: string, form: FormData): Promise<T> {
  const res = await authFetch(new Request(path, { method: 'POST', body: form }));
  const body = await res.json().catch(() => null);
  if (!res.ok) throw toApiError(res.status, body);
  return (body as { data: T }).data;
}

/**
 * An authenticated image (a student's photo) as an object URL: an `<img src>` cannot send the bearer
 * token. `version` changes after an upload so the new photo is fetched; the URL is revoked when replaced.
 */
export function useAuthedImage(path: string | null, version: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version re-fetches the same path after an upload
  useEffect(() => {
    if (!path) {
      setUrl(null);
      return;
    }
    let live = true;
    let made: string | null = null;
    authFetch(new Request(path, { cache: 'no-store' }))
      .then(async (res) => (res.ok ? res.blob() : null))
      .then((blob) => {
        if (!live || !blob) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch(() => undefined);
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [path, version]);
  return url;
}

export type OrgOption = components['schemas']['Organization'];

/** The organizations in the user's scope (at most 100, enough for a pick list), cached for every screen. */
export function useOrgs() {
  return useQuery({
    queryKey: ['organizations'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/organizations', { params: { query: { page_size: 100 } } })).data,
  });
}

/** Only the given fields that changed (for PATCH: "only the fields given change"). */
export function changed<T extends Record<string, unknown>>(before: T, after: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(after) as Array<keyof T>) {
    if (after[k] !== before[k]) out[k] = after[k];
  }
  return out;
}

/** A text input's value for a nullable field: empty means null. */
export const orNull = (v: string): string | null => (v.trim() ? v.trim() : null);
