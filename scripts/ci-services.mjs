// CI helper: `node scripts/ci-services.mjs pg <admin-url> <dbname>` recreates a scratch database and prints
// its URL; `node scripts/ci-services.mjs redis <url>` exits 0 when Redis answers PING.
import net from 'node:net';
import pg from 'pg';

const [kind, url, dbName] = process.argv.slice(2);

async function pgReset() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  await client.query(`drop database if exists "${dbName}" with (force)`);
  await client.query(`create database "${dbName}"`);
  await client.end();
  const u = new URL(url);
  u.pathname = `/${dbName}`;
  console.log(u.toString());
}

function redisPing() {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const sock = net.connect({ host: u.hostname, port: Number(u.port || 6379) });
    const timer = setTimeout(() => reject(new Error('timeout')), 2000);
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      clearTimeout(timer);
      sock.end();
      d.toString().startsWith('+PONG') ? resolve() : reject(new Error(d.toString()));
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

try {
  if (kind === 'pg') await pgReset();
  else if (kind === 'redis') await redisPing();
  else throw new Error(`unknown service ${kind}`);
  process.exit(0);
} catch (err) {
  console.error(`${kind} unavailable: ${err.message}`);
  process.exit(1);
}
