import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { drive, type Statement, timedLoop } from './lib/measure.js';
import { type Ctx, capture, type Row } from './scenarios.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Replays a write request's statements as its database ceiling: one transaction per iteration, with the
 * values the request generated (uuid v7 ids minted during it, the idempotency key, the receipt number) made
 * fresh each time so unique constraints behave as they do for real new requests.
 */
async function replayWrite(
  dbUrl: string,
  stmts: Statement[],
  startedMs: number,
  connections: number,
  seconds: number,
) {
  const generated = (v: unknown) =>
    typeof v === 'string' &&
    ((UUID.test(v) && Number.parseInt(v.slice(0, 8) + v.slice(9, 13), 16) >= startedMs - 1000) ||
      /^RCPT-\d{4}-\d+$/.test(v) ||
      v.startsWith('bench-key-'));
  const pool = new pg.Pool({ connectionString: dbUrl, max: connections });
  const lat: number[] = [];
  let errors = 0;
  let seq = 0;
  const end = Date.now() + seconds * 1000;
  const body = stmts.filter((s) => !/^\s*(begin|commit|rollback)\b/i.test(s.query));
  const worker = async () => {
    const c = await pool.connect();
    try {
      while (Date.now() < end) {
        const map = new Map<string, string>();
        const fresh = (v: unknown) => {
          if (!generated(v)) return v;
          const s = v as string;
          if (!map.has(s))
            map.set(s, UUID.test(s) ? randomUUID() : `${s.split('-').slice(0, 2).join('-')}-R${++seq}`);
          return map.get(s);
        };
        const t = performance.now();
        try {
          await c.query('begin');
          for (const st of body) await c.query(st.query, (st.params as unknown[]).map(fresh) as any[]);
          await c.query('commit');
        } catch {
          errors++;
          await c.query('rollback').catch(() => {});
        }
        lat.push(performance.now() - t);
      }
    } finally {
      c.release();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  await pool.end();
  lat.sort((a, b) => a - b);
  return { rps: lat.length / elapsed, p99: lat[Math.floor(0.99 * (lat.length - 1))] ?? 0, errors };
}

/** A class's roster and a date, for marking attendance. */
async function rosters(dbUrl: string, count: number) {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const { rows } = await c.query(
      `select cl.id as class_id, array_agg(e.student_id order by e.student_id) as students
         from (select id from classes where name <> 'BIG-ROSTER' order by name limit $1) cl
         join enrollments e on e.class_id = cl.id and e.status = 'enrolled'
        group by cl.id`,
      [count],
    );
    return rows as Array<{ class_id: string; students: string[] }>;
  } finally {
    await c.end();
  }
}

/** Bulk attendance mark of whole classes and a payment, each against plain SQL of the same writes. */
export async function writeScenarios(ctx: Ctx, token: string, ids: any): Promise<Row[]> {
  const rows: Row[] = [];
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  // Bulk attendance: each request marks one whole class (≈40 students) for a day outside the seeded year.
  const classes = await rosters(ctx.dbUrl, 200);
  const body = (k: number) => {
    const cl = classes[k % classes.length];
    return JSON.stringify({
      class_id: cl.class_id,
      date: '2026-07-06',
      records: cl.students.map((s, j) => ({ student_id: s, status: j % 9 === 0 ? 'absent' : 'present' })),
    });
  };
  const probe = await capture(ctx, '/api/v1/attendance/bulk', {
    method: 'POST',
    headers: auth,
    body: body(0),
  });
  if (probe.res.ok) {
    const api = await drive(
      {
        url: `${ctx.api.url}/api/v1/attendance/bulk`,
        method: 'POST',
        headers: auth,
        requests: classes.map((_, k) => ({ method: 'POST', body: body(k) })),
      },
      ctx.connections,
      ctx.duration,
    );
    // Ceiling: a plain multi-row INSERT … ON CONFLICT of the same rows per request, same concurrency.
    const plain = await plainAttendance(ctx, classes);
    rows.push({
      name: `bulk attendance (${classes[0]?.students.length ?? 0}-student class)`,
      api,
      ceilings: [{ label: 'plain multi-row INSERT', rps: plain.rps, p99: plain.p99 }],
    });
  } else {
    rows.push({
      name: 'bulk attendance',
      api: null,
      ceilings: [],
      note: `not measured: ${probe.res.status} ${probe.body.slice(0, 100)}`,
    });
  }

  // Payment with a fresh Idempotency-Key per request.
  let n = 0;
  const pay = JSON.stringify({ student_id: ids.student.id, amount: '1.00', method: 'cash' });
  const started = Date.now();
  const cap = await capture(ctx, '/api/v1/fee-payments', {
    method: 'POST',
    headers: { ...auth, 'idempotency-key': `bench-key-probe-${process.pid}-${Date.now()}` },
    body: pay,
  });
  if (cap.res.ok) {
    const api = await drive(
      {
        url: `${ctx.api.url}/api/v1/fee-payments`,
        method: 'POST',
        headers: auth,
        body: pay,
        perRequestHeaders: () => ({ 'idempotency-key': `bench-key-${process.pid}-${++n}` }),
      },
      ctx.connections,
      ctx.duration,
    );
    const db = await replayWrite(ctx.dbUrl, cap.stmts, started, ctx.connections, ctx.duration);
    rows.push({
      name: 'payment (Idempotency-Key)',
      api,
      ceilings: [{ label: `DB (${cap.stmts.length} stmts in a tx)`, rps: db.rps, p99: db.p99 }],
      note: 'all payments of one org serialize on its gapless receipt counter',
    });
  } else {
    rows.push({
      name: 'payment',
      api: null,
      ceilings: [],
      note: `not measured: ${cap.res.status} ${cap.body.slice(0, 100)}`,
    });
  }
  return rows;
}

function plainAttendance(ctx: Ctx, classes: Array<{ class_id: string; students: string[] }>) {
  return timedLoop(ctx.dbUrl, ctx.connections, ctx.duration, async (c, k) => {
    const cl = classes[k % classes.length];
    const session = await c.query(
      `insert into attendance_sessions (id, organization_id, class_id, session_date)
       select gen_random_uuid(), organization_id, id, date '2026-07-07' from classes where id = $1
       on conflict do nothing returning id`,
      [cl.class_id],
    );
    const sid =
      session.rows[0]?.id ??
      (
        await c.query(
          `select id from attendance_sessions where class_id = $1 and session_date = '2026-07-07'`,
          [cl.class_id],
        )
      ).rows[0].id;
    const values = cl.students
      .map(
        (_, j) =>
          `(gen_random_uuid(), $1, $${j + 3}, $2, (select organization_id from classes where id = $2), date '2026-07-07', '${j % 9 === 0 ? 'absent' : 'present'}')`,
      )
      .join(',');
    await c.query(
      `insert into attendance_records (id, session_id, student_id, class_id, organization_id, attendance_date, status)
       values ${values} on conflict (session_id, student_id) do update set status = excluded.status`,
      [sid, cl.class_id, ...cl.students],
    );
  });
}
