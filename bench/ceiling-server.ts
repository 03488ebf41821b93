// The HTTP ceiling: a bare Fastify process answering with a pre-recorded body from memory. Whatever the API
// does beyond this (auth, validation, SQL, serialization) is the distance to this ceiling.
import Fastify from 'fastify';

const bodies = new Map<string, { type: string; body: string }>();
const app = Fastify({ logger: false, bodyLimit: 50 * 1024 * 1024 });
app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
app.put('/__set/:key', async (req) => {
  const { key } = req.params as { key: string };
  bodies.set(key, {
    type: String(req.headers['x-body-type'] ?? 'application/json'),
    body: req.body as string,
  });
  return { ok: true };
});
const serve = async (req: any, reply: any) => {
  const b = bodies.get(req.params.key);
  if (!b) return reply.status(404).send();
  reply.type(b.type).send(b.body);
};
app.get('/c/:key', serve);
app.post('/c/:key', serve);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.send?.({ address });
