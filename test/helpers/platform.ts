import { and, desc, eq } from 'drizzle-orm';
import { outbox } from '../../src/kernel/mail/outbox.table.js';
import type { App } from './app.js';

/** The 6-digit code of the newest mail stored for `email` (the outbox is the mailbox when SMTP is off). */
export async function latestCode(app: App, email: string, subjectLike?: RegExp): Promise<string> {
  const rows = await app.deps.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.toAddress, email.toLowerCase())))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(10);
  const row = rows.find((r) => !subjectLike || subjectLike.test(r.subject));
  const m = row ? /code is (\d{6})/.exec(row.body) : null;
  if (!m) throw new Error(`no code mailed to ${email}`);
  return m[1];
}

/** A wrong code that is certainly different from `code`. */
export function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

export async function mailsTo(app: App, email: string) {
  return app.deps.db.select().from(outbox).where(eq(outbox.toAddress, email.toLowerCase()));
}
