import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enrollDirect, makeClass, makeParent, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { makeWorld } from './helpers/factories.js';

describe('attendance alerts to guardians', () => {
  let app: App;
  before(async () => {
    app = await buildTestApp();
  });
  after(() => app.close());

  it('should notify the student and their guardian once when attendance crosses under the threshold', async () => {
    const w = await makeWorld(app);
    const cls = await makeClass(app, w.org, { name: 'Biology 9A' });
    const s = await makeStudent(app, w.org, { firstName: 'Maya', lastName: 'Chen' }, { login: true });
    const parent = await makeParent(app, w.org, [s.id]);
    const other = await makeParent(app, w.org, []);
    await enrollDirect(app, s.id, cls);
    const mark = (date: string, status: string) =>
      call(app, 'POST', '/api/v1/attendance/bulk', {
        token: w.admin.token,
        body: { class_id: cls.id, date, records: [{ student_id: s.id, status }] },
      });
    for (const [d, st] of [
      ['2026-02-02', 'present'],
      ['2026-02-03', 'present'],
      ['2026-02-04', 'present'],
      ['2026-02-05', 'absent'],
      ['2026-02-06', 'absent'],
      ['2026-02-09', 'absent'],
    ]) {
      expectStatus(await mark(d, st), 200);
    }
    const inbox = async (token: string) =>
      (
        await call(app, 'GET', '/api/v1/notifications', { token, query: { page_size: 100 } })
      ).data.data.filter((n: any) => n.kind === 'attendance_alert');
    const forParent = await inbox(parent.token);
    assert.equal(forParent.length, 1, 'exactly one alert, when the threshold was crossed');
    assert.match(forParent[0].body, /Maya Chen's attendance in Biology 9A is now 60%/);
    assert.equal((await inbox(s.token)).length, 1);
    assert.equal((await inbox(other.token)).length, 0, 'an unrelated parent is not told');
  });
});
