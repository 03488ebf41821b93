import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/kernel/auth/permissions.js';
import { insertLoginUser } from '../../src/modules/users/index.js';
import { type App, call, uniq } from './app.js';
import { login, PASSWORD } from './factories.js';

/** A register through the API (as an admin of `orgId`). */
export async function makeRegister(app: App, adminToken: string, orgId: string, name = `Register ${uniq()}`) {
  const res = await call(app, 'POST', '/api/v1/registers', {
    token: adminToken,
    body: { name, short_code: uniq('R').toUpperCase(), organization_id: orgId },
  });
  if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
  return res.data.data as { id: string; short_code: string; organization_id: string };
}

/** A signed-in user with `role` over `org` and an allow-list of registers. */
export async function makeRegisterUser(
  app: App,
  org: { id: string },
  role: Role,
  allowedRegisterIds: string[],
  serviceNumber?: string,
) {
  const username = uniq(`${role}.`);
  await app.deps.db.transaction((tx) =>
    insertLoginUser(tx, {
      username,
      email: `${username}@example.test`,
      fullName: 'Register User',
      password: PASSWORD,
      organizationId: org.id,
      serviceNumber: serviceNumber ?? null,
      roles: [{ role, organization_id: org.id }],
      allowedRegisterIds,
    }),
  );
  const { token } = await login(app, serviceNumber ?? username, PASSWORD);
  return { username, token };
}

export async function addPerson(
  app: App,
  token: string,
  registerId: string,
  over: Record<string, unknown> = {},
) {
  const res = await call(app, 'POST', '/api/v1/personnel', {
    token,
    body: {
      register_id: registerId,
      service_number: uniq('SN'),
      first_name: 'Kwame',
      last_name: 'Mensah',
      ...over,
    },
  });
  if (res.statusCode !== 201) throw new Error(`personnel: ${res.statusCode} ${res.body}`);
  return res.data.data as { id: string; service_number: string; status: string };
}

/** A multipart/form-data body with text fields and one file. */
export function multipart(fields: Record<string, string>, file?: { name: string; content: Buffer | string }) {
  const boundary = `----registrar${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** POSTs a multipart upload; `data` is the parsed JSON answer. */
export async function upload(
  app: App,
  url: string,
  token: string | undefined,
  fields: Record<string, string>,
  file?: { name: string; content: Buffer | string },
): Promise<LightMyRequestResponse & { data: any }> {
  const { payload, headers } = multipart(fields, file);
  const res = await app.inject({
    method: 'POST',
    url,
    payload,
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  let data: any = null;
  try {
    data = JSON.parse(res.body);
  } catch {}
  return Object.assign(res, { data });
}

/** A personnel CSV of `n` rows; rows listed in `bad` get an invalid status. */
export function personnelCsv(n: number, prefix: string, bad: number[] = []): string {
  const lines = ['service_number,first_name,middle_name,last_name,rank,unit,status,date_of_birth'];
  const badSet = new Set(bad);
  for (let i = 1; i <= n; i++) {
    const status = badSet.has(i) ? 'retired??' : i % 10 === 0 ? 'posted' : 'active';
    lines.push(
      `${prefix}-${i},First${i},,Last${i},Private,Unit ${i % 7},${status},1990-01-${String((i % 28) + 1).padStart(2, '0')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
