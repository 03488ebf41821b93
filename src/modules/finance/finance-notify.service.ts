import type { DbOrTx } from '../../db/client.js';
import { formatMinor } from '../../kernel/money.js';
import { notify } from '../notifications/index.js';
import { studentContact } from './finance.repo.js';

/**
 * Notifies the student (their login), their guardians and the finance desk (admin/staff of the student's
 * organization or above) about a money event, in the caller's transaction.
 */
export async function notifyMoneyEvent(
  tx: DbOrTx,
  studentId: string,
  kind: string,
  title: string,
  body: string,
  data: Record<string, unknown> = {},
) {
  const s = await studentContact(tx, studentId);
  if (!s) return null;
  return notify(
    tx,
    {
      organizationId: s.organization_id,
      userIds: s.user_id ? [s.user_id] : [],
      guardiansOf: [studentId],
      financeDesk: true,
    },
    title,
    body,
    { kind, data: { student_id: studentId, ...data } },
  );
}

export const money = (minor: number, currency: string) => `${formatMinor(minor, currency)} ${currency}`;
