import assert from 'node:assert/strict';
import { makeStudent } from './academic.js';
import { type App, call, uniq } from './app.js';
import { makeUser, makeWorld } from './factories.js';

/** POST /hostels as `token`; asserts 201 and returns the hostel. */
export async function createHostel(
  app: App,
  token: string,
  orgId: string,
  extra: Record<string, unknown> = {},
) {
  const res = await call(app, 'POST', '/api/v1/hostels', {
    token,
    body: { organization_id: orgId, name: `Hall ${uniq()}`, hostel_type: 'mixed', ...extra },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.data.data;
}

/** POST /hostel-rooms as `token`; asserts 201 and returns the room. */
export async function createRoom(
  app: App,
  token: string,
  hostelId: string,
  extra: Record<string, unknown> = {},
) {
  const res = await call(app, 'POST', '/api/v1/hostel-rooms', {
    token,
    body: { hostel_id: hostelId, room_number: uniq('R'), room_type: 'double', capacity: 2, ...extra },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.data.data;
}

/** POST /hostel-allocations; returns the raw response. */
export function allocate(
  app: App,
  token: string,
  studentId: string,
  roomId: string,
  extra: Record<string, unknown> = {},
) {
  return call(app, 'POST', '/api/v1/hostel-allocations', {
    token,
    body: { student_id: studentId, room_id: roomId, ...extra },
  });
}

/** Two isolated tenants; the first has a hostel office (staff), a hostel with a double room and students. */
export async function makeHostelWorld(app: App) {
  const w = await makeWorld(app, 'university');
  const staff = await makeUser(app, w.org, 'staff');
  const hostel = await createHostel(app, staff.token, w.org.id);
  const room = await createRoom(app, staff.token, hostel.id);
  const student = await makeStudent(app, w.org, {}, { login: true });
  const otherHostel = await createHostel(app, w.otherAdmin.token, w.otherOrg.id);
  const otherRoom = await createRoom(app, w.otherAdmin.token, otherHostel.id);
  const otherStudent = await makeStudent(app, w.otherOrg);
  return { ...w, staff, hostel, room, student, otherHostel, otherRoom, otherStudent };
}
