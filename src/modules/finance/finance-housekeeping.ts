import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { RoutePlugin } from '../../kernel/module.js';

/** Most keys one purge statement deletes (a big backlog goes in several short statements). */
const BATCH = 5000;
const HOUR_MS = 3_600_000;

/**
 * Deletes Idempotency-Keys older than the retention: a retry within it replays the first result, one after
 * it is a new request. The payments and refunds themselves are never touched. Returns how many went.
 */
export async function purgeIdempotencyKeys(db: DbOrTx, retentionHours: number): Promise<number> {
  let total = 0;
  for (;;) {
    const res = await db.execute(sql`
      delete from idempotency_keys where id in (
        select id from idempotency_keys
         where created_at < now() - make_interval(hours => ${retentionHours})
         order by created_at limit ${BATCH})
      returning id`);
    const n = res.rows.length;
    total += n;
    if (n < BATCH) return total;
  }
}

/**
 * Not routes: the finance module's periodic upkeep, started when the app is ready and stopped on close.
 * Every API process runs it hourly (the delete is idempotent, so several processes do no harm).
 */
export const financeHousekeeping: RoutePlugin = async (app) => {
  const { db, config } = app.deps;
  let timer: NodeJS.Timeout | null = null;
  const run = () =>
    purgeIdempotencyKeys(db, config.idempotencyRetentionHours).catch((err: unknown) =>
      app.log.error({ err }, 'idempotency key purge failed'),
    );
  app.addHook('onReady', async () => {
    timer = setInterval(run, HOUR_MS);
    timer.unref();
    void run();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
};
