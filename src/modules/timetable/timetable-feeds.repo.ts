import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { calendarFeeds } from './timetable.table.js';

export type FeedRow = typeof calendarFeeds.$inferSelect;

export async function countOfUser(db: DbOrTx, userId: string) {
  const [{ n }] = await db.select({ n: count() }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId));
  return n;
}

export async function insert(db: DbOrTx, v: typeof calendarFeeds.$inferInsert) {
  const [row] = await db.insert(calendarFeeds).values(v).returning();
  return row;
}

export function listOfUser(db: DbOrTx, userId: string) {
  return db
    .select()
    .from(calendarFeeds)
    .where(eq(calendarFeeds.userId, userId))
    .orderBy(asc(calendarFeeds.createdAt), asc(calendarFeeds.id));
}

/** The user's own feed link, locked for the change. */
export async function lockOwn(db: DbOrTx, userId: string, id: string) {
  const [row] = await db
    .select()
    .from(calendarFeeds)
    .where(and(eq(calendarFeeds.id, id), eq(calendarFeeds.userId, userId)))
    .for('update');
  return row ?? null;
}

export async function setHash(db: DbOrTx, id: string, tokenHash: string) {
  const [row] = await db
    .update(calendarFeeds)
    .set({ tokenHash, rotatedAt: new Date() })
    .where(eq(calendarFeeds.id, id))
    .returning();
  return row;
}

export async function remove(db: DbOrTx, id: string) {
  await db.delete(calendarFeeds).where(eq(calendarFeeds.id, id));
}

export async function findByHash(db: DbOrTx, tokenHash: string) {
  const [row] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.tokenHash, tokenHash));
  return row ?? null;
}

/** Records a fetch, at most every 5 minutes per feed (calendar apps poll). */
export async function touch(db: DbOrTx, id: string) {
  await db
    .update(calendarFeeds)
    .set({ lastUsedAt: new Date() })
    .where(
      and(
        eq(calendarFeeds.id, id),
        sql`(${calendarFeeds.lastUsedAt} is null or ${calendarFeeds.lastUsedAt} < now() - interval '5 minutes')`,
      ),
    );
}
