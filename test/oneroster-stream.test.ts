import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import fastJson from 'fast-json-stringify';
import type { ClientPrincipal } from '../src/modules/clients/index.js';
import * as S from '../src/modules/oneroster/oneroster.schemas.js';
import type { Collection } from '../src/modules/oneroster/oneroster-collections.js';
import * as P from '../src/modules/oneroster/oneroster-people.js';
import { type CollectionQueryT, listCollection } from '../src/modules/oneroster/oneroster-query.js';
import { type App, buildTestApp } from './helpers/app.js';
import { clientToken, makeOneRosterWorld, orGet, ROSTER } from './helpers/oneroster.js';

type World = Awaited<ReturnType<typeof makeOneRosterWorld>>;

/** Byte-for-byte what the users lists answered before streaming: the JS mapping through the schema. */
const stringify = fastJson(S.ListOf('users', S.User));
/** The users collections (their lists all answer `{"users": [...]}`). */
const COLLECTIONS = { users: P.users, students: P.students, teachers: P.teachers };
type Name = keyof typeof COLLECTIONS;

const BASE = 'http://localhost:80/ims/oneroster';
const BULK = 5100;

describe('OneRoster streamed users pages', () => {
  let app: App;
  let w: World;
  let tokenA: string;
  let tokenB: string;
  let tokenDistrict: string;

  const principal = (org: { path: string }) => ({ orgPath: org.path }) as ClientPrincipal;

  /** The page the JS path (`listCollection`, the code before streaming) gives, serialized as before. */
  async function expected(c: Collection, org: { path: string }, q: CollectionQueryT) {
    const page = await listCollection(app.deps.db, principal(org), c, q, BASE);
    return { body: stringify({ [c.plural]: page.records }), total: String(page.total) };
  }

  async function same(
    token: string,
    org: { path: string },
    name: Name,
    q: CollectionQueryT,
    path = `${ROSTER}/${name}`,
  ) {
    const c = COLLECTIONS[name];
    const query: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(q)) if (v !== undefined) query[k] = v;
    const res = await orGet(app, token, path, query);
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    const want = await expected(c, org, q);
    assert.equal(res.headers['x-total-count'], want.total, `${path} ${JSON.stringify(q)}`);
    // Byte for byte (a mismatch prints where).
    if (res.body !== want.body) {
      let i = 0;
      while (i < res.body.length && res.body[i] === want.body[i]) i++;
      assert.fail(
        `${path} ${JSON.stringify(q)}: differs at ${i}: got …${res.body.slice(Math.max(0, i - 80), i + 80)}… want …${want.body.slice(Math.max(0, i - 80), i + 80)}…`,
      );
    }
    return { res, list: JSON.parse(res.body).users as Array<Record<string, unknown>> };
  }

  before(async () => {
    app = await buildTestApp();
    w = await makeOneRosterWorld(app);
    tokenA = (await clientToken(app, w.admin.token, w.a.school.id)).token;
    tokenB = (await clientToken(app, w.admin.token, w.b.school.id)).token;
    tokenDistrict = (await clientToken(app, w.admin.token, w.district.id)).token;
    // 5,100 more students of school A, with the text a serializer must escape, missing fields, soft
    // deletions and microsecond timestamps.
    await app.deps.db.execute(sql`
      insert into students (id, organization_id, student_number, first_name, last_name, email, phone,
                            grade_level, student_status, deleted_at, updated_at)
      select gen_random_uuid(), ${w.a.school.id}, 'BULK' || lpad(i::text, 5, '0'),
             (case i % 7 when 0 then 'Quote"d' when 1 then 'Back\\slash' when 2 then E'Tab\\tNew\\nLine'
                         when 3 then 'Ünïcødé 😀 ✓' when 4 then E'Ctl\\u0001\\u001f' when 5 then '</script>'
                         else 'Name' || i end),
             'Family' || (i % 97), (case when i % 5 = 0 then null else 'b' || i || '@example.test' end),
             (case when i % 4 = 0 then '+1 555 ' || i end),
             (case i % 3 when 0 then null when 1 then '' else (i % 12)::text end),
             (case when i % 11 = 0 then 'inactive' else 'active' end)::student_status,
             (case when i % 50 = 0 then now() - interval '1 day' end),
             now() - (i || ' minutes 0.123456 seconds')::interval
        from generate_series(1, ${BULK}::int) i`);
    // A hard deletion: a tombstone.
    await app.deps.db.execute(
      sql`delete from students where organization_id = ${w.a.school.id} and student_number = 'BULK05100'`,
    );
  });
  after(() => app.close());

  test('a 5,000-record page is byte-for-byte the JSON of before, with its total', async () => {
    const { res, list } = await same(tokenA, w.a.school, 'users', { limit: 5000 });
    assert.equal(list.length, 5000);
    assert.equal(res.headers['x-total-count'], String(6 + BULK)); // 4 students, teacher, parent; +1 tombstone −1
    assert.match(String(res.headers.link), /rel="next"/);
    const ids = list.map((u) => String(u.sourcedId));
    assert.deepEqual(ids, [...ids].sort(), 'sourcedId order');
    // The rest of the list, and School Data Sync's filter over both pages.
    const rest = await same(tokenA, w.a.school, 'users', { limit: 5000, offset: 5000 });
    assert.equal(rest.list.length, 6 + BULK - 5000);
    const active = await same(tokenA, w.a.school, 'users', { limit: 5000, filter: "status='active'" });
    assert.ok(active.list.every((u) => u.status === 'active'));
    const active2 = await same(tokenA, w.a.school, 'users', {
      limit: 5000,
      offset: 5000,
      filter: "status='active'",
    });
    const live = 6 + BULK - 1 - (Math.floor(BULK / 50) - 1); // BULK05100 was one of the soft-deleted
    assert.equal(active.res.headers['x-total-count'], String(live));
    assert.equal(active.list.length + active2.list.length, live);
  });

  test('sort, orderBy, fields and filter on the streamed path', async () => {
    await same(tokenA, w.a.school, 'users', { limit: 5000, orderBy: 'desc' });
    await same(tokenA, w.a.school, 'users', { limit: 3000, offset: 1500, orderBy: 'desc' });
    // fields= in another order than the schema's: written in the schema's order, as before.
    const picked = await same(tokenA, w.a.school, 'users', {
      limit: 5000,
      sort: 'familyName',
      orderBy: 'desc',
      fields: 'givenName,sourcedId,agents,dateLastModified',
    });
    assert.deepEqual(Object.keys(picked.list[0]), ['sourcedId', 'dateLastModified', 'givenName', 'agents']);
    await same(tokenA, w.a.school, 'users', { limit: 2500, offset: 1200, sort: 'givenName' });
    await same(tokenA, w.a.school, 'users', {
      limit: 5000,
      filter: "givenName~'quote' OR status='tobedeleted' OR enabledUser='false'",
    });
    await same(tokenA, w.a.school, 'users', {
      limit: 1234,
      offset: 17,
      filter: "status!='active' AND dateLastModified>'2000-01-01T00:00:00Z'",
    });
    await same(tokenA, w.a.school, 'users', { limit: 5000, filter: "role='parent'" });
    await same(tokenA, w.a.school, 'students', { limit: 5000, filter: "status!='tobedeleted'" });
    await same(tokenA, w.a.school, 'teachers', { limit: 10 });
    // The district client's subtree (both schools), and a nested list.
    await same(tokenDistrict, w.district, 'users', { limit: 5000, offset: 100 });
    await same(
      tokenA,
      w.a.school,
      'students',
      { limit: 5000 },
      `${ROSTER}/schools/${w.a.school.id}/students`,
    );
  });

  test('the maintained counts follow updates, moves and deletions', async () => {
    const a = w.a.school.id;
    await app.deps.db.execute(
      sql`update students set deleted_at = now() where organization_id = ${a} and student_number like 'BULK000%'`,
    );
    await app.deps.db.execute(
      sql`update students set organization_id = ${w.b.school.id} where organization_id = ${a} and student_number like 'BULK001%'`,
    );
    await app.deps.db.execute(
      sql`delete from students where organization_id = ${a} and student_number like 'BULK002%'`,
    );
    for (const filter of [undefined, "status='active'", "status='tobedeleted'", "status!='active'"]) {
      for (const c of ['users', 'students'] as const) {
        await same(tokenA, w.a.school, c, { limit: 5000, filter });
        await same(tokenDistrict, w.district, c, { limit: 10, filter });
      }
      await same(tokenB, w.b.school, 'students', { limit: 10, filter });
      await same(
        tokenDistrict,
        w.b.school,
        'students',
        { limit: 10, filter },
        `${ROSTER}/schools/${w.b.school.id}/students`,
      );
    }
  });

  test('a bad filter, sort or fields answers the imsx 400, never a cut-off 200', async () => {
    for (const [query, minor] of [
      [{ filter: "givenName=='x'" }, 'invalid_filter_field'],
      [{ filter: "nope='x'" }, 'invalid_filter_field'],
      [{ filter: "dateLastModified>'yesterday'" }, 'invalid_filter_field'],
      [{ filter: "status='gone'" }, 'invalid_filter_field'],
      [{ fields: 'sourcedId,nope' }, 'invalid_selection_field'],
      [{ sort: 'nope' }, 'invaliddata'],
    ] as const) {
      const res = await orGet(app, tokenA, `${ROSTER}/users`, { limit: 5000, ...query });
      assert.equal(res.statusCode, 400, res.body.slice(0, 300));
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.equal(res.data.imsx_codeMajor, 'failure', res.body);
      assert.equal(res.data.imsx_CodeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, minor);
      assert.equal(res.headers['x-total-count'], undefined);
    }
  });
});
