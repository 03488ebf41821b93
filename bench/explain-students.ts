/**
 * Proves the student list uses indexes: builds 100,000 students in a fresh district (two schools) on PostgreSQL with
 * generate_series, VACUUM ANALYZEs, then runs EXPLAIN ANALYZE on the exact page and count queries of
 * GET /students (built by the repository, not retyped) for each filter and the search, and fails when a plan
 * contains a sequential scan on students. Cleans up after itself. Usage:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/registrar_people npx tsx bench/explain-students.ts
 *
 * Results are recorded in docs/student-list-indexes.md.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import type { Actor } from '../src/kernel/auth/actor.js';
import { uuidv7 } from '../src/kernel/ids.js';
import { pageWindow } from '../src/kernel/pagination.js';
import { studentListQueries, studentListScopeFor } from '../src/modules/students/index.js';
import type { StudentFilters } from '../src/modules/students/students.schemas.js';

const N = Number(process.env.STUDENTS ?? 100_000);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL (PostgreSQL); EXPLAIN on PGlite says nothing about production plans.');
  process.exit(2);
}

const database = await openDatabase({ databaseUrl: url, dataDir: null, poolMax: 2 });
await runMigrations(database);
const { db, pool } = database;
const q = (text: string, params: unknown[] = []) => pool!.query(text, params);

// A district with two schools: the district admin's scope is three organizations (`organization_id IN (…)`),
// a school principal's exactly one (`organization_id = $1`).
const orgId = uuidv7();
const schoolIds = [uuidv7(), uuidv7()];
const t0 = Date.now();
let failed = false;
try {
  await q(`insert into organizations (id, kind, name, path) values ($1, 'district', $2, $3)`, [
    orgId,
    `Explain District ${orgId.slice(-6)}`,
    `/${orgId}/`,
  ]);
  for (const [i, id] of schoolIds.entries()) {
    await q(`insert into organizations (id, parent_id, kind, name, path) values ($1, $2, 'school', $3, $4)`, [
      id,
      orgId,
      `Explain School ${i + 1}`,
      `/${orgId}/${id}/`,
    ]);
  }
  // 20 departments, 60 programs (3 per department).
  await q(
    `insert into departments (id, organization_id, code, name)
     select gen_random_uuid(), $1, 'D' || g, 'Department ' || g from generate_series(1, 20) g`,
    [orgId],
  );
  await q(
    `insert into programs (id, organization_id, department_id, code, name)
     select gen_random_uuid(), $1, d.id, d.code || '-P' || p, d.name || ' program ' || p
       from departments d cross join generate_series(1, 3) p where d.organization_id = $1`,
    [orgId],
  );
  // 100,000 students (half in each school) with realistic skew: 80% active, 2% soft-deleted.
  await q(
    `with d as (select array_agg(id order by code) ids from departments where organization_id = $1),
          p as (select array_agg(id order by code) ids from programs where organization_id = $1)
     insert into students (id, organization_id, student_number, first_name, last_name, email, department_id,
                           program_id, batch_year, semester, category, roll_no, student_status, deleted_at)
     select gen_random_uuid(), (array[$3::uuid, $4::uuid])[1 + (g / 10) % 2], 'U' || lpad(g::text, 7, '0'),
            (array['Ava','Liam','Maria','Noah','Emma','Omar','Mia','Ken','Zoe','Ivan','Lena','Raj'])[1 + g % 12],
            (array['Garcia','Smith','Nguyen','Kim','Lopez','Patel','Brown','Okafor','Rossi','Muller',
                   'Silva','Cohen','Khan','Sato','Novak','Dubois'])[1 + (g / 7) % 16] || (g % 211),
            'u' || g || '@students.example.edu',
            d.ids[1 + g % 20], p.ids[1 + g % 60],
            2019 + g % 8, 1 + g % 8,
            (array['general','general','general','scholarship','international'])[1 + g % 5],
            (g % 120)::text,
            (case when g % 100 < 80 then 'active' when g % 100 < 88 then 'graduated'
                  when g % 100 < 93 then 'inactive' when g % 100 < 97 then 'suspended'
                  else 'withdrawn' end)::student_status,
            case when g % 50 = 0 then now() end
       from generate_series(1, $2::int) g, d, p`,
    [orgId, N, schoolIds[0], schoolIds[1]],
  );
  await q('vacuum analyze students');
  await q('analyze departments');
  await q('analyze programs');
  await q('analyze organizations');
  console.log(`built ${N} students in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  const [dept] = (
    await q('select id from departments where organization_id = $1 order by code limit 1', [orgId])
  ).rows;
  const [prog] = (
    await q('select id from programs where organization_id = $1 order by code limit 1', [orgId])
  ).rows;
  const actorAt = (role: 'admin' | 'principal', org: string, path: string): Actor => ({
    userId: uuidv7(),
    username: `explain.${role}`,
    email: 'explain@example.test',
    fullName: 'Explain',
    organizationId: org,
    roles: [{ role, organizationId: org, path }],
    allowedRegisterIds: [],
    sessionId: uuidv7(),
    tokenId: uuidv7(),
    tokenExpiresAt: 0,
  });
  const actors: Array<[string, Actor]> = [
    ['district admin (3 organizations)', actorAt('admin', orgId, `/${orgId}/`)],
    ['school principal (1 organization)', actorAt('principal', schoolIds[0], `/${orgId}/${schoolIds[0]}/`)],
  ];
  const cases: Array<[string, StudentFilters]> = [
    ['no filter', {}],
    ['student_status=suspended', { student_status: 'suspended' }],
    ['student_status=active', { student_status: 'active' }],
    ['department_id', { department_id: dept.id }],
    ['program_id', { program_id: prog.id }],
    ['batch_year=2024', { batch_year: 2024 }],
    ['semester=3', { semester: 3 }],
    ['category=international', { category: 'international' }],
    ['search=okafor17', { search: 'okafor17' }],
    ['search=u0004217 (student number)', { search: 'U0004217' }],
    ['department_id + batch_year + search', { department_id: dept.id, batch_year: 2024, search: 'lopez' }],
  ];
  for (const [who, actor] of actors) {
    console.log(`\n== ${who}`);
    const scope = await studentListScopeFor(db, actor);
    for (const [name, filters] of cases) {
      const built = studentListQueries(db, scope, filters, pageWindow({ page: 1, page_size: 20 }));
      for (const [kind, query] of [
        ['page ', built.rows],
        ['count', built.count],
      ] as const) {
        const { sql: text, params } = query.toSQL();
        const res = await q(`explain (analyze, buffers off, costs off, timing off) ${text}`, params);
        const plan: string[] = res.rows.map((r: any) => r['QUERY PLAN']);
        const seq = plan.some((l) => /Seq Scan on students\b/.test(l));
        if (seq) failed = true;
        const key = plan
          .filter((l) => /Scan|Index Cond|Execution Time|Join|Semi/.test(l))
          .map((l) => l.replace(/\s+\(actual.*$/, '').trimEnd());
        console.log(`${seq ? 'SEQ SCAN' : 'ok      '} ${name} [${kind}]`);
        for (const l of key) console.log(`           ${l}`);
      }
    }
  }
} finally {
  if (process.env.KEEP) {
    console.log(`kept org ${orgId}`);
    await database.close();
    process.exit(failed ? 1 : 0);
  }
  await db.execute(sql`delete from students where organization_id in (${schoolIds[0]}, ${schoolIds[1]})`);
  await db.execute(sql`delete from programs where organization_id = ${orgId}`);
  await db.execute(sql`delete from departments where organization_id = ${orgId}`);
  await db.execute(sql`delete from organizations where parent_id = ${orgId}`);
  await db.execute(sql`delete from organizations where id = ${orgId}`);
  await database.close();
}
console.log(
  `\n${failed ? 'FAILED: a plan scans students sequentially' : 'no Seq Scan on students'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
);
process.exit(failed ? 1 : 0);
