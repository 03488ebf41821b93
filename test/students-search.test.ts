import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { makeChildOrg, makeUser, makeWorld } from './helpers/factories.js';

describe('students: search by prefix first, then by substring', () => {
  let app: App;
  let token: string;
  const ids: Record<string, string> = {};
  before(async () => {
    app = await buildTestApp();
    const w = await makeWorld(app);
    const org = await makeChildOrg(app, w.org, 'school');
    for (const [key, firstName, lastName, studentNumber] of [
      ['holm', 'Ada', 'Holmberg', 'HS-001'],
      ['nils', 'Holm', 'Nilsson', 'HS-002'],
      ['strand', 'Ada', 'Strandholm', 'HS-003'],
      ['num', 'Eva', 'Lind', 'HOLM-77'],
      ['pct', 'Eva', '50%_Off', 'HS-005'],
    ]) {
      ids[key] = (await makeStudent(app, org, { firstName, lastName, studentNumber })).id;
    }
    token = (await makeUser(app, org, 'principal')).token;
  });
  after(async () => {
    await app?.close();
  });

  const search = async (q: string, limit = 20) => {
    const res = await call(app, 'GET', '/api/v1/students/search', { token, query: { q, limit } });
    expectStatus(res, 200);
    return res.data.data.map((s: { id: string }) => s.id) as string[];
  };

  it('ranks prefix matches on last name, first name and number before substring matches', async () => {
    const found = await search('holm');
    // Prefixes (name order: Holmberg, Lind [HOLM-77], Nilsson [first name Holm]), then the substring match.
    assert.deepEqual(found, [ids.holm, ids.num, ids.nils, ids.strand]);
  });

  it('fills from substring matches only up to the limit, and finds a substring alone', async () => {
    assert.deepEqual(await search('holm', 2), [ids.holm, ids.num]);
    assert.deepEqual(await search('andho'), [ids.strand]);
  });

  it('treats % and _ in the term as text', async () => {
    assert.deepEqual(await search('50%_'), [ids.pct]);
    assert.deepEqual(await search('5_%'), []);
  });
});
