import type { FastifyRequest } from 'fastify';

/** Path prefixes whose next segment is a secret (a calendar feed link's token). */
const secretPrefixes = new Set<string>();

/** The path segment after `prefix` carries a secret: the request log shows `[redacted]` in its place. */
export function redactPathAfter(prefix: string): void {
  secretPrefixes.add(prefix);
}

/** `…/timetable/feeds/<secret>.ics?x` → `…/timetable/feeds/[redacted].ics?x`. */
export function redactUrl(url: string): string {
  let out = url;
  for (const prefix of secretPrefixes) {
    const at = out.indexOf(prefix);
    if (at < 0) continue;
    const start = at + prefix.length;
    const rest = out.slice(start);
    const end = rest.search(/[/?#.]|$/);
    if (end > 0) out = `${out.slice(0, start)}[redacted]${rest.slice(end)}`;
  }
  return out;
}

/** The request logger's `req` (Fastify's default fields), with secrets in the URL redacted. */
export function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}
