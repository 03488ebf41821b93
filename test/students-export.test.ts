import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { isPlainCsvSafe, sanitizeCell } from '../src/modules/students/students-export.service.js';
import { makeFaculty, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeWorld } from './helpers/factories.js';

v8.setFlagsFromString('--expose-gc');
const gc: () => void = vm.runInNewContext('gc');

const N = 10_000;

describe('student export', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'university');
    // Set-based: one INSERT … SELECT generate_series for all 10,000 students.
    await app.deps.db.execute(sql`
      insert into students (id, organization_id, student_number, first_name, last_name, email, phone,
                            batch_year, semester, category, student_status)
      select gen_random_uuid(), ${w.org.id}, 'E' || lpad(g::text, 5, '0'), 'First' || g, 'Last' || (g % 97),
             'e' || g || '@export.example.test', null, 2020 + g % 5, 1 + g % 8, 'general', 'active'
        from generate_series(1, ${N}::int) g`);
    // Cells a spreadsheet would run as formulas.
    await app.deps.db.execute(sql`
      update students set first_name = '=HYPERLINK("http://evil.example","x")', last_name = '+SUM(A1:A9)',
                          phone = '-2+3', category = '@cmd', gender = ${'\tx'}
       where organization_id = ${w.org.id} and student_number = 'E00001'`);
  });
  after(() => app.close());

  it('should sanitize formula-looking cells with a leading quote', () => {
    for (const v of ['=1+1', '+1', '-1', '@x', '\tx', '\rx']) assert.equal(sanitizeCell(v), `'${v}`);
    assert.equal(sanitizeCell('Maria'), 'Maria');
    assert.equal(sanitizeCell(2024), 2024);
    assert.equal(sanitizeCell(null), null);
  });

  it('should take cells joined as they are for finished CSV only when no cell needs quoting or sanitizing', () => {
    assert.equal(isPlainCsvSafe('a,b,c\nd,e,f', 2, 3), true);
    assert.equal(isPlainCsvSafe('a,b,2001-02-03\nd,,f', 2, 3), true, 'inner - and empty cells are fine');
    assert.equal(isPlainCsvSafe('a,b,c,x\nd,e,f', 2, 3), false, 'a comma inside a cell');
    assert.equal(isPlainCsvSafe('a,b\nc\nd,e,f', 2, 3), false, 'a line feed inside a cell');
    assert.equal(isPlainCsvSafe('a,"b",c\nd,e,f', 2, 3), false, 'a quote');
    assert.equal(isPlainCsvSafe('a,b\rx,c\nd,e,f', 2, 3), false, 'a carriage return');
    for (const lead of ['=', '+', '-', '@', '\t']) {
      assert.equal(
        isPlainCsvSafe(`a,${lead}b,c\nd,e,f`, 2, 3),
        false,
        `a cell starting with ${JSON.stringify(lead)}`,
      );
      assert.equal(
        isPlainCsvSafe(`a,b,c\n${lead}d,e,f`, 2, 3),
        false,
        `a line starting with ${JSON.stringify(lead)}`,
      );
      assert.equal(
        isPlainCsvSafe(`${lead}a,b,c`, 1, 3),
        false,
        `the chunk starting with ${JSON.stringify(lead)}`,
      );
    }
  });

  it('should stream a 10,000-row CSV with every row, while the heap stays flat', async () => {
    // What holding every row at once would cost: the yardstick for "memory does not grow with rows".
    gc();
    const base0 = process.memoryUsage().heapUsed;
    let all: unknown[] | null = (await app.deps.db.execute(
      sql`select * from students where organization_id = ${w.org.id}`,
    )) as any;
    gc();
    const materialized = process.memoryUsage().heapUsed - base0;
    all = null;
    assert.equal(all, null);

    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as any).port;
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    const seen = new Uint8Array(N + 1);
    let rows = 0;
    let header = '';
    let evil = '';
    // A running hash of the student numbers in the order received (cheaper on the heap than keeping them).
    let order = 0;
    const headers = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
      const req = http.get(
        `http://127.0.0.1:${port}/api/v1/students/export?format=csv`,
        { headers: { authorization: `Bearer ${w.admin.token}` } },
        (res) => {
          let carry = '';
          let nextSample = 500;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const lines = (carry + chunk).split('\n');
            carry = lines.pop()!;
            for (const line of lines) {
              if (!header) {
                header = line;
                continue;
              }
              rows++;
              const m = /^E(\d{5}),/.exec(line);
              if (m) {
                seen[Number(m[1])] = 1;
                order = (Math.imul(order, 31) + Number(m[1])) >>> 0;
              }
              if (line.startsWith('E00001,')) evil = line;
            }
            // A full GC is slow: sample the live heap about every 500 rows (20 times over the export).
            if (rows >= nextSample) {
              nextSample += 500;
              gc();
              peak = Math.max(peak, process.memoryUsage().heapUsed - base);
            }
          });
          res.on('end', () => resolve(res.headers));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });
    assert.equal(headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(String(headers['content-disposition']), /^attachment; filename="students-.*\.csv"$/);
    assert.equal(headers['content-length'], undefined, 'streamed, not buffered');
    assert.ok(header.startsWith('student_number,first_name,last_name,email'));
    assert.equal(rows, N);
    assert.equal(
      seen.reduce((a, b) => a + b, 0),
      N,
      'every student number appears',
    );
    // List order (last name, first name, id) across every batch boundary.
    const listed = (await app.deps.db.execute(sql`
      select student_number from students where organization_id = ${w.org.id} and deleted_at is null
       order by last_name, first_name, id`)) as any;
    let expectedOrder = 0;
    for (const r of listed.rows)
      expectedOrder = (Math.imul(expectedOrder, 31) + Number(r.student_number.slice(1))) >>> 0;
    assert.equal(order, expectedOrder, 'rows arrive in list order');
    const [cells] = parse(`${evil}\n`) as string[][];
    assert.equal(cells[1], `'=HYPERLINK("http://evil.example","x")`);
    assert.equal(cells[2], "'+SUM(A1:A9)");
    assert.equal(cells[4], "'-2+3");
    assert.equal(cells[6], "'\tx");
    assert.equal(cells[12], "'@cmd");
    console.log(
      `# export heap: peak growth ${(peak / 1e6).toFixed(1)} MB while streaming; all rows at once ${(materialized / 1e6).toFixed(1)} MB`,
    );
    assert.ok(peak < materialized / 2, `heap grew ${peak} bytes; holding all rows costs ${materialized}`);
  });

  it('should export XLSX that opens with every row and sanitized cells', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/students/export?format=xlsx',
      headers: { authorization: `Bearer ${w.admin.token}` },
    });
    expectStatus(res, 200);
    assert.equal(
      res.headers['content-type'],
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="students-.*\.xlsx"$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    const ws = wb.getWorksheet('Students')!;
    assert.equal(ws.actualRowCount, N + 1);
    assert.equal(ws.getRow(1).getCell(1).value, 'student_number');
    const numbers = new Set<string>();
    ws.eachRow((row, i) => {
      if (i > 1) numbers.add(String(row.getCell(1).value));
    });
    assert.equal(numbers.size, N);
    let evil: ExcelJS.Row | null = null;
    ws.eachRow((row) => {
      if (row.getCell(1).value === 'E00001') evil = row;
    });
    assert.equal(evil!.getCell(2).value, `'=HYPERLINK("http://evil.example","x")`);
    assert.equal(evil!.getCell(3).value, "'+SUM(A1:A9)");
    assert.equal(evil!.getCell(10).value, 2021, 'numbers stay numbers');
  });

  it('should apply the list filters and the scope', async () => {
    const res = await call(app, 'GET', '/api/v1/students/export', {
      token: w.admin.token,
      query: { batch_year: 2022, semester: 3 },
    });
    expectStatus(res, 200);
    const rows = parse(res.body, { columns: true }) as Array<Record<string, string>>;
    // g % 5 = 2 and 1 + g % 8 = 3  →  g ≡ 2 (mod 40)
    assert.equal(rows.length, N / 40);
    assert.ok(rows.every((r) => r.batch_year === '2022' && r.semester === '3'));
    const other = await call(app, 'GET', '/api/v1/students/export', { token: w.otherAdmin.token });
    expectStatus(other, 200);
    assert.equal(other.body.trim().split('\n').length, 1, 'another tenant exports only its header');
  });

  it('should write the same cells in SQL as sanitizeCell + RFC 4180 quoting, for awkward values', async () => {
    const t = await makeWorld(app, 'university');
    const awkward = [
      'plain',
      'comma, inside',
      'say "hi"',
      'line\nbreak',
      'carriage\rreturn',
      '=1+1',
      '-5',
      '@at, and "quotes"',
      '\tlead tab',
      '\rlead cr',
      'ünïcödé ✓',
      "it's",
      ' spaced ',
      '',
    ];
    await app.deps.db.execute(sql`
      insert into students (id, organization_id, student_number, first_name, last_name, email, phone,
                            gender, batch_year, semester, category, roll_no, date_of_birth, student_status)
      select gen_random_uuid(), ${t.org.id}, 'A' || lpad(i::text, 3, '0'), v, 'Awk', 'a' || i || '@x.test',
             case when i % 2 = 0 then v end, case when i % 3 = 0 then null else v end,
             case when i % 4 = 0 then null else 2000 + i::int end, 1 + i::int % 8, v, v,
             case when i % 5 = 0 then null else date '2001-02-03' + i::int end, 'active'
        from unnest(array[${sql.join(
          awkward.map((v) => sql`${v}`),
          sql`, `,
        )}]::text[]) with ordinality as a(v, i)`);
    const res = await call(app, 'GET', '/api/v1/students/export', { token: t.admin.token });
    expectStatus(res, 200);
    const got = parse(res.body, { columns: true }) as Array<Record<string, string>>;
    assert.equal(got.length, awkward.length);
    const rows = (await app.deps.db.execute(sql`
      select student_number, first_name, phone, gender, batch_year, semester, category, roll_no,
             date_of_birth::text as date_of_birth
        from students where organization_id = ${t.org.id}`)) as any;
    const byNumber = new Map<string, any>((rows.rows ?? rows).map((r: any) => [r.student_number, r]));
    const expected = (v: unknown) => {
      const c = sanitizeCell(v);
      return c === null ? '' : String(c);
    };
    for (const g of got) {
      const r = byNumber.get(g.student_number)!;
      for (const col of ['first_name', 'phone', 'gender', 'batch_year', 'semester', 'category', 'roll_no']) {
        assert.equal(g[col], expected(r[col]), `${g.student_number}.${col}`);
      }
      assert.equal(g.date_of_birth, r.date_of_birth ?? '');
    }
    // Quoting is exactly where RFC 4180 needs it: a plain cell is never wrapped.
    assert.match(res.body, /\nA001,plain,Awk,/);
    assert.ok(res.body.includes('"say ""hi"""'));
    assert.ok(res.body.includes(`"'@at, and ""quotes"""`));
  });

  it('should answer 400 for a bad format, 401 without a token, 403 for faculty and students', async () => {
    expectError(
      await call(app, 'GET', '/api/v1/students/export', { token: w.admin.token, query: { format: 'pdf' } }),
      400,
      'validation_failed',
    );
    expectError(await call(app, 'GET', '/api/v1/students/export'), 401);
    const teacher = await makeFaculty(app, w.org);
    expectError(await call(app, 'GET', '/api/v1/students/export', { token: teacher.token }), 403);
    const st = await makeStudent(app, w.org, {}, { login: true });
    expectError(await call(app, 'GET', '/api/v1/students/export', { token: st.token }), 403);
  });
});
