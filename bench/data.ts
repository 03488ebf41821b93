// npm run bench:data -- --students N [--days 180]
// Builds a realistic dataset in PostgreSQL database registrar_bench_<N> (recreated) with set-based SQL:
// organizations, departments, programs, courses, faculty, classes, N students with logins and enrollments,
// a school year of attendance, ledgers with payments, a year of assessments, marks and posted grades.
// Nothing goes row by row through the API.
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { hashPassword } from '../src/kernel/auth/passwords.js';
import { gradeSteps } from './data-grades.js';
import { extraSteps } from './data-steps.js';
import { arg, benchDbName, benchDbUrl, fmt, SERVER_URL, saveCredentials, withClient } from './lib/common.js';

const N = Number(arg('students', '10000'));
const DAYS = Number(arg('days', '180'));
if (!Number.isInteger(N) || N < 100) throw new Error('--students must be an integer ≥ 100');

const dbName = benchDbName(N);
const url = benchDbUrl(N);
const t0 = Date.now();
const step = async (label: string, fn: () => Promise<unknown>) => {
  const s = Date.now();
  await fn();
  console.log(`  ${label.padEnd(44)} ${fmt((Date.now() - s) / 1000, 1)} s`);
};

console.log(`Building ${dbName}: ${fmt(N)} students, ${DAYS} school days`);
await withClient(SERVER_URL, async (c) => {
  await c.query(`drop database if exists ${dbName} with (force)`);
  await c.query(`create database ${dbName}`);
});
const database = await openDatabase({ databaseUrl: url, dataDir: null, poolMax: 2 });
await runMigrations(database);
await database.close();

const password = randomBytes(12).toString('base64url');
const hash = await hashPassword(password);
const CLASSES = Math.max(10, Math.ceil(N / 10));
const FACULTY = Math.max(10, Math.ceil(N / 40));

await withClient(url, async (c) => {
  await c.query('set synchronous_commit = off');
  // The generated rows are consistent by construction: skip per-row FK and trigger checks while loading
  // (requires a superuser, as the local bench server has; constraints still hold for everything after).
  await c.query('set session_replication_role = replica');
  await c.query("set maintenance_work_mem = '512MB'");
  await c.query("set work_mem = '64MB'");
  const q = (sql: string, params: unknown[] = []) => c.query(sql, params);
  await step('organizations, departments, programs, courses', async () => {
    await q(`
      with root as (
        insert into organizations (id, kind, name, path) values (gen_random_uuid(), 'office', 'Bench Root', '')
        returning id)
      update organizations o set path = '/' || o.id || '/' from root where o.id = root.id`);
    await q(`
      insert into organizations (id, parent_id, kind, name, code, path)
      select u.id, r.id, 'university', 'Bench University', 'BU', r.path || u.id || '/'
        from organizations r, (select gen_random_uuid() id) u where r.name = 'Bench Root'`);
    await q(`create temp table uni as select id from organizations where code = 'BU'`);
    await q(`
      insert into departments (id, organization_id, code, name)
      select gen_random_uuid(), uni.id, 'D' || i, 'Department ' || i from uni, generate_series(1, 20) i`);
    await q(`
      insert into programs (id, organization_id, department_id, code, name, degree_type, duration, total_credits)
      select gen_random_uuid(), uni.id, d.id, 'P' || i, 'Program ' || i, 'BSc', 8, 160
        from uni, generate_series(1, 40) i join departments d on d.code = 'D' || (1 + (i - 1) % 20)`);
    await q(`
      insert into courses (id, organization_id, department_id, code, name, credits, fee_minor)
      select gen_random_uuid(), uni.id, d.id, 'C' || i, 'Course ' || i, 3, 50000 + (i % 10) * 10000
        from uni, generate_series(1, 400) i join departments d on d.code = 'D' || (1 + (i - 1) % 20)`);
  });
  await step(`users (${fmt(N + FACULTY + 1)}) and role assignments`, async () => {
    await q(
      `insert into users (id, organization_id, username, email, full_name, password_hash, email_verified_at)
       select gen_random_uuid(), uni.id, 'bench.admin', 'bench.admin@bench.test', 'Bench Admin', $1, now() from uni`,
      [hash],
    );
    await q(
      `insert into users (id, organization_id, username, email, full_name, password_hash)
       select gen_random_uuid(), uni.id, 'bf' || i, 'bf' || i || '@bench.test', 'Teacher ' || i, $1
         from uni, generate_series(1, $2::int) i`,
      [hash, FACULTY],
    );
    await q(
      `insert into users (id, organization_id, username, email, full_name, password_hash)
       select gen_random_uuid(), uni.id, 'bs' || i, 'bs' || i || '@bench.test', 'Student ' || i, $1
         from uni, generate_series(1, $2::int) i`,
      [hash, N],
    );
    await q(`
      insert into role_assignments (id, user_id, role, organization_id)
      select gen_random_uuid(), u.id,
             (case when u.username = 'bench.admin' then 'admin' when u.username like 'bf%' then 'faculty'
                   else 'student' end)::role_name, uni.id
        from users u, uni where u.organization_id = uni.id`);
  });
  await step(`faculty (${fmt(FACULTY)}) and classes (${fmt(CLASSES + 1)})`, async () => {
    await q(`
      insert into faculty (id, organization_id, user_id, employee_id, first_name, last_name, email, department_id)
      select gen_random_uuid(), uni.id, u.id, 'E' || substr(u.username, 3), 'Teacher', substr(u.username, 3), u.email,
             (select id from departments where code = 'D' || (1 + substr(u.username, 3)::int % 20))
        from users u, uni where u.username like 'bf%'`);
    await q(
      `insert into classes (id, organization_id, name, course_id, section, capacity, room)
       select gen_random_uuid(), uni.id, 'Class ' || i, c.id, 'S' || (i % 4), 60, 'R' || (100 + i % 50)
         from uni, generate_series(1, $1::int) i join courses c on c.code = 'C' || (1 + (i - 1) % 400)`,
      [CLASSES],
    );
    await q(`
      insert into classes (id, organization_id, name, course_id, capacity, room)
      select gen_random_uuid(), uni.id, 'BIG-ROSTER', c.id, 1000, 'AUD-1' from uni join courses c on c.code = 'C1'`);
    await q(`create temp table cls as select row_number() over (order by name, id) - 1 as rn, id from classes
              where name <> 'BIG-ROSTER'`);
    await q(`
      insert into teaching_assignments (id, faculty_id, class_id)
      select gen_random_uuid(), f.id, cls.id
        from cls join faculty f on f.employee_id = 'E' || (1 + cls.rn % (select count(*) from faculty))`);
  });
  await step(`students (${fmt(N)})`, async () => {
    await q(`
      insert into students (id, organization_id, user_id, student_number, first_name, last_name, email,
                            department_id, program_id, batch_year, semester, category, roll_no, student_status,
                            gender, date_of_birth)
      select gen_random_uuid(), uni.id, u.id, 'BS' || lpad(s.i::text, 7, '0'),
             (array['Ava','Liam','Noah','Emma','Olivia','Mateo','Aisha','Wei','Priya','Lucas'])[1 + s.i % 10],
             (array['Garcia','Smith','Nguyen','Okafor','Patel','Kim','Rossi','Cohen','Silva','Müller'])[1 + (s.i / 10) % 10]
               || ' ' || s.i,
             u.email, p.department_id, p.id, 2022 + s.i % 4, 1 + s.i % 8,
             (array['general','scholarship','general','international'])[1 + s.i % 4],
             s.i::text,
             (case when s.i % 50 = 0 then 'inactive' else 'active' end)::student_status,
             (array['female','male','nonbinary'])[1 + s.i % 3],
             date '2000-01-01' + (s.i % 3000)
        from uni, users u
        join lateral (select substr(u.username, 3)::int as i) s on true
        join programs p on p.code = 'P' || (1 + s.i % 40)
       where u.username like 'bs%'`);
  });
  // Triggers are off: the roster's name copy (enrollments.custom.sql) is written here.
  await step('enrollments (4 classes each + a 1,000-student roster)', async () => {
    const cc = CLASSES;
    await q(
      `insert into enrollments (id, organization_id, student_id, class_id, status, student_last_name, student_first_name)
       select gen_random_uuid(), st.organization_id, st.id, cls.id, 'enrolled', st.last_name, st.first_name
         from (select id, organization_id, last_name, first_name,
                      row_number() over (order by student_number) - 1 as rn from students) st
         cross join generate_series(0, 3) k
         join cls on cls.rn = (st.rn + k * ($1::int / 4 + 1)) % $1::int`,
      [cc],
    );
    await q(`
      insert into enrollments (id, organization_id, student_id, class_id, status, student_last_name, student_first_name)
      select gen_random_uuid(), st.organization_id, st.id, c.id, 'enrolled', st.last_name, st.first_name
        from (select id, organization_id, last_name, first_name from students order by student_number limit 1000) st,
             classes c where c.name = 'BIG-ROSTER'`);
  });
  for (const s of [...extraSteps, ...gradeSteps]) await step(s.label, () => s.run(q, { N, DAYS, CLASSES }));
  // Triggers were off while loading: compute the dashboards' summaries from the loaded rows (docs/reports.md).
  await step('report summaries (report_rebuild)', () => q('select report_rebuild()'));
  await step('OneRoster user counts (oneroster_count_rebuild)', () => q('select oneroster_count_rebuild()'));
  // A real server's autovacuum would have run by now: statistics and the visibility map (index-only scans).
  await step('vacuum analyze', () => q('vacuum analyze'));
});

saveCredentials(N, { adminUsername: 'bench.admin', password });
console.log(
  `Done in ${fmt((Date.now() - t0) / 1000, 1)} s. Logins: bench.admin, bs1…bs${N}, bf1…bf${FACULTY}`,
);
console.log('(the generated password is in bench/.credentials.json, which is not committed)');
