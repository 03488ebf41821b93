import { PgDialect } from 'drizzle-orm/pg-core';
import { users } from '../src/modules/oneroster/oneroster-people.js';
import { streamCollection } from '../src/modules/oneroster/oneroster-stream.js';

const d = new PgDialect();
const out: string[] = [];
const db = {
  execute: async (q: any) => {
    const x = d.sqlToQuery(q);
    out.push(JSON.stringify(x));
    return { rows: [] };
  },
} as any;
const p = { orgPath: process.argv[2] } as any;
await streamCollection(
  db,
  p,
  users,
  users.streamed!,
  { limit: 5000, offset: 0, filter: process.argv[3] || undefined },
  'http://x/ims/oneroster',
);
console.log(out.join('\n'));
