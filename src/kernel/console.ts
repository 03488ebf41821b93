import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from './errors.js';
import { errorResponses } from './schemas.js';

/**
 * The web console (web/, built by Vite into web/dist): its hashed assets under /assets/ and its
 * index.html for every other browser navigation that no route answers (the single-page app's own paths,
 * e.g. /students/123). The console is a client of the public API only; nothing here reads the database.
 *
 * The files are read once at start-up (the build runs before the server starts, `npm start`'s prestart):
 * only names present then are served, so a request can never reach outside the build folder.
 */

/** Paths that are never the console's: the API, the docs and the probes answer their own 404s. */
const NOT_CONSOLE = ['/api/', '/docs', '/openapi.json', '/ims/', '/health', '/ready', '/metrics', '/assets/'];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

interface Asset {
  body: Buffer;
  type: string;
}

export interface ConsoleBuild {
  /** web/dist/index.html, or null when the console has not been built. */
  index: Buffer | null;
  assets: Map<string, Asset>;
}

export function loadConsoleBuild(distDir: string): ConsoleBuild {
  const indexPath = join(distDir, 'index.html');
  const index = existsSync(indexPath) ? readFileSync(indexPath) : null;
  const assets = new Map<string, Asset>();
  const assetDir = join(distDir, 'assets');
  if (existsSync(assetDir)) {
    for (const name of readdirSync(assetDir)) {
      const path = join(assetDir, name);
      const type = TYPES[extname(name)];
      if (type && statSync(path).isFile()) assets.set(name, { body: readFileSync(path), type });
    }
  }
  return { index, assets };
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Registrar</title></head>
<body><main><h1>Registrar</h1><p>The web console has not been built. Run <code>npm start</code> (it builds the
console first) or <code>npm run build:web</code>. The API is at <a href="/docs">/docs</a>.</p></main></body></html>`;

/**
 * The not-found fallback: a GET (or HEAD) for a page of the console, from a browser (Accept: text/html),
 * answers index.html; the client-side router then draws the screen. Returns false for anything else, which
 * gets the API's usual 404/405 envelope.
 */
export function consoleFallback(build: ConsoleBuild) {
  return (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = request.url.split('?')[0];
    if (NOT_CONSOLE.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p))) return false;
    if (!/\btext\/html\b/.test(request.headers.accept ?? '')) return false;
    reply
      .status(build.index ? 200 : 503)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(build.index ?? NOT_BUILT);
    return true;
  };
}

/** GET /assets/:file: the build's content-hashed files, cached for a year (a new build has new names). */
export function registerConsoleAssets(app: FastifyInstance, build: ConsoleBuild): void {
  app.get(
    '/assets/:file',
    {
      config: { permission: 'public', rateLimit: false },
      schema: {
        tags: ['platform'],
        summary: "A file of the web console's build (content-hashed names, cached for a year)",
        params: Type.Object({
          file: Type.String({
            minLength: 1,
            maxLength: 200,
            description: 'A file name under web/dist/assets, as index.html names it',
            examples: ['index-DMTzIuyC.js'],
          }),
        }),
        response: {
          200: {
            description: 'The file (JavaScript, CSS or an image)',
            content: {
              'text/javascript': { schema: Type.String() },
              'text/css': { schema: Type.String() },
            },
          },
          ...errorResponses(404),
        },
      },
    },
    async (request, reply) => {
      const { file } = request.params as { file: string };
      const asset = build.assets.get(file);
      if (!asset) throw new AppError(404, 'not_found', `Asset ${file} not found`);
      return reply
        .type(asset.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(asset.body);
    },
  );
}
