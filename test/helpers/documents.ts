import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './app.js';

export interface Part {
  name: string;
  value?: string;
  filename?: string;
  type?: string;
  content?: Buffer;
}

/** A multipart/form-data body from fields and file parts, in the order given. */
export function multipartBody(parts: Part[]) {
  const boundary = `----registrar${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if (p.content !== undefined) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename ?? 'file'}"\r\n` +
            `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        p.content,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value ?? ''}\r\n`,
        ),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** POST /documents/upload through `app.inject` (small files). */
export async function upload(
  app: App,
  token: string | undefined,
  file: { content: Buffer; filename: string; type?: string } | null,
  fields: Record<string, string> = {},
) {
  const parts: Part[] = Object.entries(fields).map(([name, value]) => ({ name, value }));
  if (file) parts.push({ name: 'file', ...file });
  const body = multipartBody(parts);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/documents/upload',
    payload: body.payload,
    headers: { ...body.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  let data: any = null;
  try {
    data = JSON.parse(res.body);
  } catch {}
  return Object.assign(res, { data });
}

/**
 * Streams a `totalBytes` file (starting with `head`) to a listening app over real HTTP, generating it chunk
 * by chunk (one reused 64 KiB buffer, honouring backpressure), so neither side ever holds the whole file.
 * Resolves with the status and body of the response; the server may answer before the body is sent.
 */
export function streamUpload(app: App, token: string, head: Buffer, totalBytes: number, filename: string) {
  const { port } = app.server.address() as AddressInfo;
  const boundary = '----registrarstream';
  const pre = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBig file\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const post = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    let done = false;
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/documents/upload',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(pre.length + totalBytes + post.length),
      },
    });
    req.on('response', (res) => {
      done = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, sent });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!done) reject(err);
    });
    const write = () => {
      while (!done && sent < totalBytes) {
        const n = Math.min(chunk.length, totalBytes - sent);
        const piece =
          sent === 0 ? Buffer.concat([head, chunk.subarray(head.length, n)]) : chunk.subarray(0, n);
        sent += n;
        if (!req.write(sent === n ? Buffer.concat([pre, piece]) : piece)) {
          req.once('drain', write);
          return;
        }
      }
      if (!done && sent >= totalBytes) req.end(post);
    };
    write();
  });
}
