import { createHash } from 'node:crypto';
import type { DbOrTx } from '../../db/client.js';
import { businessRule } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import * as repo from './finance-payments.repo.js';

/** The first result of an idempotent request, replayed. */
export interface Replay<B> {
  status: number;
  body: B;
  replayed: true;
}

/**
 * Claims an Idempotency-Key inside the caller's transaction (insert-first: a concurrent twin blocks on the
 * unique index until the claim commits or rolls back). Returns the claimed key's id, to store the response
 * with `saveKeyResponse` before commit; or, when the key was used before for the same request (`parts`
 * hashed), that request's stored response; a different request is 422 `idempotency_key_reused`.
 */
export async function claimOrReplay<B>(
  tx: DbOrTx,
  v: {
    organizationId: string;
    endpoint: string;
    key: string;
    actorId: string;
    parts: unknown[];
    noun: string;
  },
): Promise<{ keyId: string } | Replay<B>> {
  const requestHash = createHash('sha256').update(JSON.stringify(v.parts)).digest('hex');
  const keyId = uuidv7();
  const claimed = await repo.claimKey(tx, {
    id: keyId,
    organizationId: v.organizationId,
    endpoint: v.endpoint,
    key: v.key,
    actorId: v.actorId,
    requestHash,
  });
  if (claimed) return { keyId };
  const stored = await repo.storedKey(tx, v.organizationId, v.endpoint, v.key);
  if (!stored || stored.request_hash !== requestHash) {
    throw businessRule(
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different request',
      [{ field: 'idempotency-key', message: `must be new for a different ${v.noun}` }],
    );
  }
  const body = (typeof stored.response === 'string' ? JSON.parse(stored.response) : stored.response) as B;
  return { status: Number(stored.status_code), body, replayed: true };
}
