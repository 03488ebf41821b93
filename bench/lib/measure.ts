import autocannon from 'autocannon';
import pg from 'pg';

export interface Figure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface HttpTarget {
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  /** Per-request headers (e.g. a fresh Idempotency-Key). */
  perRequestHeaders?: () => Record<string, string>;
  /** autocannon request sequence (each connection cycles through it), e.g. a different body each time. */
  requests?: Array<Record<string, unknown>>;
}

/** Drives an HTTP endpoint with autocannon (this process; the server runs in another). */
export async function drive(t: HttpTarget, connections: number, seconds: number): Promise<Figure> {
  const result = await autocannon({
    url: t.url,
    method: t.method ?? 'GET',
    headers: t.headers,
    body: t.body,
    connections,
    duration: seconds,
    timeout: 20,
    requests: t.requests
      ? t.requests
      : t.perRequestHeaders
        ? [
            {
              setupRequest: (req: any) => ({
                ...req,
                headers: { ...req.headers, ...t.perRequestHeaders!() },
              }),
            },
          ]
        : undefined,
  } as any);
  const bad = result.non2xx + result.errors + result.timeouts;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: bad };
}

export interface Statement {
  query: string;
  params: unknown[];
}

/**
 * The database ceiling: the same statements an endpoint issued (captured from its SQL trace), replayed by a
 * bare `pg` pool at the same concurrency. One "request" = the whole statement sequence.
 */
export async function replay(databaseUrl: string, stmts: Statement[], connections: number, seconds: number) {
  let errors = 0;
  const r = await timedLoop(
    databaseUrl,
    connections,
    seconds,
    async (client) => {
      try {
        for (const st of stmts) await client.query(st.query, st.params as any[]);
      } catch {
        errors++;
      }
    },
    { statement_timeout: 15_000 },
  );
  return { ...r, errors };
}

/**
 * Runs `body` back to back on `connections` pooled clients for `seconds` (a shared counter `n` numbers the
 * calls across clients) and returns the calls per second and the p50/p99 latency of one call, in ms.
 */
export async function timedLoop(
  databaseUrl: string,
  connections: number,
  seconds: number,
  body: (client: pg.PoolClient, n: number) => Promise<unknown>,
  poolOptions: pg.PoolConfig = {},
) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections, ...poolOptions });
  const lat: number[] = [];
  let k = 0;
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (Date.now() < end) {
        const t = performance.now();
        await body(client, k++);
        lat.push(performance.now() - t);
      }
    } finally {
      client.release();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  await pool.end();
  lat.sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? 0;
  return { rps: lat.length / elapsed, p50: pct(50), p99: pct(99) };
}
