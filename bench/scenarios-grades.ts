import pg from 'pg';
import { drive, timedLoop } from './lib/measure.js';
import { type Ctx, capture, type Row, readScenario } from './scenarios.js';

interface EntryClass {
  class_id: string;
  organization_id: string;
  assessment_id: string;
  students: string[];
}

/** Classes (about 40 students each) with their empty "Bench entry" assessment and roster. */
async function entryClasses(dbUrl: string, count: number) {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const { rows } = await c.query(
      `select cl.id as class_id, cl.organization_id, a.id as assessment_id,
              array_agg(e.student_id order by e.student_id) as students
         from (select id, organization_id from classes where name <> 'BIG-ROSTER' order by name limit $1) cl
         join assessments a on a.class_id = cl.id and a.name = 'Bench entry'
         join enrollments e on e.class_id = cl.id and e.status = 'enrolled'
        group by cl.id, cl.organization_id, a.id`,
      [count],
    );
    return rows as EntryClass[];
  } finally {
    await c.end();
  }
}

/** Marks of a class in variant 0 or 1: consecutive writes of one class always change every mark. */
const markOf = (j: number, variant: number) => (j * 7 + variant * 13) % 51;

/**
 * The gradebook figures: marks entry of a whole class (vs. a plain multi-row INSERT … ON CONFLICT of the
 * same rows), a student's transcript and a class's gradebook (vs. their HTTP and DB ceilings).
 */
export async function gradeScenarios(
  ctx: Ctx,
  token: string,
  ids: { student: { id: string } },
): Promise<Row[]> {
  const rows: Row[] = [];
  const classes = await entryClasses(ctx.dbUrl, 200);
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = (cl: EntryClass, variant: number) =>
    JSON.stringify({ marks: cl.students.map((s, j) => ({ student_id: s, marks: markOf(j, variant) })) });
  const probe = await capture(ctx, `/api/v1/assessments/${classes[0].assessment_id}/marks`, {
    method: 'POST',
    headers: auth,
    body: body(classes[0], 1),
  });
  const size = classes[0]?.students.length ?? 0;
  if (probe.res.ok) {
    let seq = 0;
    const api = await drive(
      {
        url: `${ctx.api.url}/api/v1/assessments/${classes[0].assessment_id}/marks`,
        method: 'POST',
        headers: auth,
        // One shared sequence, as the plain INSERT's workers take it: request n writes class n / 2 in
        // variant n % 2, so the connections spread over the classes.
        requests: [
          {
            method: 'POST',
            setupRequest: (req: Record<string, unknown>) => {
              const n = seq++;
              const cl = classes[Math.floor(n / 2) % classes.length];
              return { ...req, path: `/api/v1/assessments/${cl.assessment_id}/marks`, body: body(cl, n % 2) };
            },
          },
        ],
      },
      ctx.connections,
      ctx.duration,
    );
    const plain = await plainMarks(ctx, classes);
    rows.push({
      name: `marks entry (${size}-student class)`,
      api,
      ceilings: [{ label: 'plain multi-row INSERT', rps: plain.rps, p99: plain.p99 }],
      note: 'every request changes every mark of the class (two alternating variants)',
    });
  } else {
    rows.push({
      name: 'marks entry',
      api: null,
      ceilings: [],
      note: `not measured: ${probe.res.status} ${probe.body.slice(0, 100)}`,
    });
  }
  rows.push(
    await readScenario(
      ctx,
      'student transcript (JSON)',
      `/api/v1/students/${ids.student.id}/transcript`,
      token,
      {
        headers: { accept: 'application/json' },
      },
    ),
  );
  rows.push(
    await readScenario(
      ctx,
      `class gradebook (${size} students)`,
      `/api/v1/classes/${classes[1]?.class_id ?? classes[0].class_id}/gradebook`,
      token,
    ),
  );
  return rows;
}

/** The ceiling: the same rows per call as one plain multi-row INSERT … ON CONFLICT DO UPDATE. */
function plainMarks(ctx: Ctx, classes: EntryClass[]) {
  return timedLoop(ctx.dbUrl, ctx.connections, ctx.duration, (c, n) => {
    const cl = classes[Math.floor(n / 2) % classes.length];
    const values = cl.students
      .map((_, j) => `(gen_random_uuid(), $1, $2, $${j + 4}, $3, ${markOf(j, n % 2)}, 'scored')`)
      .join(',');
    return c.query(
      `insert into assessment_marks (id, organization_id, assessment_id, student_id, class_id, marks, state)
       values ${values}
       on conflict (assessment_id, student_id) do update
          set marks = excluded.marks, state = excluded.state, version = assessment_marks.version + 1,
              updated_at = now()`,
      [cl.organization_id, cl.assessment_id, cl.class_id, ...cl.students],
    );
  });
}
