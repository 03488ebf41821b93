import { type Ctx, type Row, readScenario } from './scenarios.js';
import { download } from './scenarios-export.js';

const SCOPES = ['roster-core.readonly', 'roster.readonly'].map(
  (s) => `https://purl.imsglobal.org/spec/or/v1p2/scope/${s}`,
);

/** An API client of the bench university (registered by the bench admin) and its client-credentials token. */
async function clientToken(ctx: Ctx, admin: string, orgId: string): Promise<string> {
  const reg = await fetch(`${ctx.api.url}/api/v1/api-clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Bench SDS ${Date.now()}`, organization_id: orgId, scopes: SCOPES }),
  });
  if (reg.status !== 201) throw new Error(`api client: ${reg.status} ${await reg.text()}`);
  const { client, client_secret } = ((await reg.json()) as any).data;
  const tok = await fetch(`${ctx.api.url}/ims/oneroster/v1p2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.client_id}:${client_secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
  });
  if (tok.status !== 200) throw new Error(`token: ${tok.status} ${await tok.text()}`);
  return ((await tok.json()) as any).access_token;
}

/**
 * Microsoft School Data Sync's first call for users: `users?offset=0&limit=5000&filter=status='active'`, as
 * an API client of the whole university. Against the HTTP ceiling (same 5,000-record body from memory) and
 * the DB ceiling (its statements replayed); the note gives the API's RSS growth during one such page and
 * during a 500-record page (flat = the page size, not the data set, bounds the memory).
 */
export async function oneRosterScenario(ctx: Ctx, admin: string, orgId: string): Promise<Row[]> {
  const token = await clientToken(ctx, admin, orgId);
  const path = (limit: number) =>
    `/ims/oneroster/rostering/v1p2/users?offset=0&limit=${limit}&filter=${encodeURIComponent("status='active'")}`;
  const row = await readScenario(ctx, 'oneroster users (limit 5000)', path(5000), token);
  const big = [];
  for (let i = 0; i < 3; i++) big.push(await download(ctx, path(5000), token));
  const small = await download(ctx, path(500), token);
  const growth = big.map((b) => b.rssGrowth).sort((a, b) => a - b)[1];
  const mib = (n: number) => `${n.toFixed(0)} MiB`;
  row.note =
    `SDS paging call; ${(big[0].bytes / 1024 / 1024).toFixed(1)} MiB per page; RSS +${mib(growth)} during a ` +
    `5,000-record page (median of 3) vs +${mib(small.rssGrowth)} for 500; API peak RSS ` +
    `${mib(ctx.api.rss().peak)}`;
  return [row];
}
