import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import * as repo from './users.repo.js';
import { assertOrgsInScope } from './users.service.js';

type Row = NonNullable<Awaited<ReturnType<typeof repo.findAllowedEmail>>>;

function toAllowedEmail(r: Row) {
  return {
    id: r.id,
    email: r.email,
    role: r.role,
    organization_id: r.organizationId,
    created_at: iso(r.createdAt)!,
  };
}

export async function createAllowedEmail(
  db: Db,
  ctx: RequestContext,
  input: { email: string; role?: Row['role']; organization_id: string },
) {
  return withTx(db, async (tx) => {
    await assertOrgsInScope(tx, ctx, 'allowed_emails:manage', [input.organization_id]);
    const row = await repo.insertAllowedEmail(tx, {
      email: input.email.toLowerCase(),
      role: input.role ?? 'faculty',
      organizationId: input.organization_id,
      createdBy: ctx.actor.userId,
    });
    const out = toAllowedEmail(row);
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'allowed_email',
      entityId: row.id,
      organizationId: row.organizationId,
      after: out,
    });
    return out;
  });
}

export async function listAllowedEmails(
  db: Db,
  ctx: RequestContext,
  search: string | undefined,
  w: PageWindow,
) {
  const { rows, total } = await repo.listAllowedEmails(db, ctx.actor, search, w);
  return page(rows.map(toAllowedEmail), total, w);
}

export async function deleteAllowedEmail(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const row = await repo.deleteAllowedEmailInScope(tx, ctx.actor, id);
    if (!row) throw notFound('Allowed email');
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'allowed_email',
      entityId: id,
      organizationId: row.organizationId,
      before: toAllowedEmail(row),
    });
  });
}
