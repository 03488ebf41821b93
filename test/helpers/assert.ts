import assert from 'node:assert/strict';

/** Asserts status and, for errors, the envelope shape with the expected code. */
export function expectError(
  res: { statusCode: number; data: any; body: string },
  status: number,
  code?: string,
) {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode}: ${res.body}`);
  assert.ok(res.data?.error, `expected an error envelope: ${res.body}`);
  assert.equal(typeof res.data.error.code, 'string');
  assert.equal(typeof res.data.error.message, 'string');
  assert.ok(Array.isArray(res.data.error.details));
  assert.equal(typeof res.data.error.request_id, 'string');
  if (code) assert.equal(res.data.error.code, code, res.body);
}

export function expectStatus(res: { statusCode: number; body: string }, status: number) {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode}: ${res.body}`);
}
