import http from 'node:http';
import type { App } from './app.js';

/** One server-sent event as a client sees it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * A real streaming client of a listening app (not inject): it reads the response as it arrives and
 * parses events per the SSE format (id/event/data lines, comments, blank-line terminated).
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  private waiters: Array<() => void> = [];
  private buffer = '';

  constructor(
    readonly status: number,
    readonly headers: http.IncomingHttpHeaders,
    private readonly res: http.IncomingMessage,
    readonly body: Promise<string>,
  ) {}

  /** Called by `openStream` as chunks arrive. */
  feed(chunk: string): void {
    this.buffer += chunk;
    for (let i = this.buffer.indexOf('\n\n'); i !== -1; i = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 2);
      const ev: SseEvent = { event: 'message', data: '' };
      let hasField = false;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments++;
          continue;
        }
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (field === 'id') ev.id = value;
        else if (field === 'event') ev.event = value;
        else if (field === 'data') data.push(value);
        else continue;
        hasField = true;
      }
      ev.data = data.join('\n');
      if (hasField && (data.length || ev.event !== 'message')) this.events.push(ev);
    }
    this.wake();
  }

  markEnded(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `pred` holds (checked on every event), or fails after `timeoutMs`. */
  async waitFor<T>(pred: () => T | undefined | false, timeoutMs = 5000, what = 'event'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = pred();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events)}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The first `event: type` whose JSON data passes `match`. */
  waitForEvent(type: string, match: (data: any) => boolean = () => true, timeoutMs = 5000) {
    return this.waitFor(
      () => this.events.find((e) => e.event === type && match(JSON.parse(e.data))),
      timeoutMs,
      `event ${type}`,
    );
  }

  waitForEnd(timeoutMs = 5000) {
    return this.waitFor(() => this.ended, timeoutMs, 'end of stream');
  }

  close(): void {
    this.res.destroy();
  }
}

/** The base URL of an app listening on an ephemeral port of the loopback interface. */
export async function listen(app: App): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

/** Opens GET /api/v1/notifications/stream; resolves once the response headers arrived. */
export function openStream(
  baseUrl: string,
  token: string | null,
  headers: Record<string, string> = {},
): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${baseUrl}/api/v1/notifications/stream`,
      {
        headers: {
          accept: 'text/event-stream',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
      },
      (res) => {
        res.setEncoding('utf8');
        let all = '';
        let client: SseClient | null = null;
        const body = new Promise<string>((done) => {
          res.on('data', (c: string) => {
            all += c;
            client?.feed(c);
          });
          res.on('end', () => {
            client?.markEnded();
            done(all);
          });
          res.on('close', () => {
            client?.markEnded();
            done(all);
          });
        });
        client = new SseClient(res.statusCode ?? 0, res.headers, res, body);
        if (all) client.feed(all);
        resolve(client);
      },
    );
    req.on('error', reject);
  });
}
