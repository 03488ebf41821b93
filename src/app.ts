import { appendFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import helmet from 'helmet';
import type { Config } from './config.js';
import { openDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { ActorCache, attachActorCache } from './kernel/auth/actor-cache.js';
import { usePasswordHashing } from './kernel/auth/passwords.js';
import { registerPermissions } from './kernel/auth/permissions.js';
import { authPlugin } from './kernel/auth/plugin.js';
import {
  BroadcastingRevocationStore,
  NoopRevocationStore,
  RedisRevocationStore,
} from './kernel/auth/revocation.js';
import { TokenService } from './kernel/auth/tokens.js';
import { consoleFallback, loadConsoleBuild, registerConsoleAssets } from './kernel/console.js';
import type { AppDeps } from './kernel/deps.js';
import {
  describeTable,
  describeUnique,
  frameworkErrors,
  nameOrganizationsWith,
  registerErrorHandler,
} from './kernel/error-handler.js';
import { domainEvents } from './kernel/events.js';
import { registerInputGuards } from './kernel/http-guards.js';
import { uuidv7 } from './kernel/ids.js';
import { jobKinds } from './kernel/jobs.js';
import { serializeRequest } from './kernel/log-redaction.js';
import { Mailer } from './kernel/mail/mailer.js';
import { registerMetrics } from './kernel/metrics.js';
import { attachPubSub, openPubSub } from './kernel/pubsub.js';
import { registerQueryAliases } from './kernel/query-aliases.js';
import { openRedis } from './kernel/redis.js';
import { schemaCompilers } from './kernel/schema-compilers.js';
import { ErrorEnvelope } from './kernel/schemas.js';
import { loadActor } from './modules/auth/index.js';
import { apiModules, platformModules } from './modules/index.js';
import { createJobQueue } from './modules/jobs/index.js';
import { findOrganizationById } from './modules/organizations/index.js';
import { bootstrapAdmin } from './modules/users/index.js';

export type { AppDeps };

export type App = FastifyInstance;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Start-up choices that are not configuration (they never come from the environment). */
export interface BuildOptions {
  /**
   * PGlite only: start the embedded database from this `dumpDataDir()` tarball (the tests' migrated
   * snapshot). Migrations still run afterwards, as no-ops when the tarball already has them.
   */
  pgliteLoadDataDir?: Blob;
  /** The built web console (default web/dist of this checkout); tests point it at a fixture build. */
  consoleDir?: string;
}

const CONSOLE_DIR = fileURLToPath(new URL('../web/dist/', import.meta.url));

/**
 * The headers a helmet middleware sets, recorded once: with static directives (no nonces) they are the same
 * on every response.
 */
function staticHeaders(
  middleware: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: () => {},
  };
  middleware({ headers: {} } as IncomingMessage, res as unknown as ServerResponse, (err) => {
    if (err) throw err;
  });
  return headers;
}

/** Builds the whole application: kernel plugins first, then every module under /api/v1. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  usePasswordHashing(config.passwordHashing);
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      // Secrets in URLs (calendar feed links) are redacted from the request log.
      serializers: { req: serializeRequest },
    },
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    // false: Fastify would otherwise take any x-request-id verbatim (unbounded, unvalidated, into logs and
    // audit rows) and skip genReqId; genReqId below accepts the header only when it is well-formed.
    requestIdHeader: false,
    // A malformed URL or an over-long path parameter answers the error envelope, not Fastify's own body.
    frameworkErrors,
    // Fastify 5 deprecates the top-level requestIdLogLabel; the log controller carries it instead.
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : uuidv7();
    },
    schemaController: { compilersFactory: schemaCompilers(config.schemaCompilation) },
    ajv: {
      customOptions: {
        // Reject unknown fields (mass assignment) instead of silently dropping them.
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: true,
        // Errors carry their schema, so a format error can show the field's example instead of a regex.
        verbose: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const traceFile = process.env.REGISTRAR_SQL_TRACE;
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    preparedStatements: config.databasePreparedStatements,
    loadDataDir: options.pgliteLoadDataDir,
    // Benchmark diagnostics only: append every statement with its parameters as one JSON line.
    logQuery: traceFile
      ? (query, params) => appendFileSync(traceFile, `${JSON.stringify({ query, params })}\n`)
      : undefined,
  });
  await runMigrations(database);
  const redis = openRedis(config.redisUrl);
  const pubsub = openPubSub(database, redis, config.databaseUrl);
  attachPubSub(database.db, pubsub);
  const actors = new ActorCache(config.actorCache.maxEntries, config.actorCache.ttlSeconds * 1000);
  attachActorCache(database.db, actors, pubsub);
  await actors.listen(pubsub);
  const revocations = new BroadcastingRevocationStore(
    redis ? new RedisRevocationStore(redis) : new NoopRevocationStore(),
    pubsub,
    (sid) => actors.evict({ sessionId: sid }),
  );
  await revocations.listen();
  const base: Omit<AppDeps, 'jobs'> = {
    config,
    database,
    db: database.db,
    redis,
    tokens: new TokenService(config.jwtSecret, config.jwtIssuer, config.accessTokenTtlSeconds),
    // Every revocation is also announced, so live streams of the session close at once everywhere.
    revocations,
    actors,
    mailer: new Mailer(
      database.db,
      config.smtpUrl,
      config.mailFrom,
      app.log,
      config.nodeEnv === 'development',
    ),
    pubsub,
  };
  const deps: AppDeps = { ...base, jobs: createJobQueue(base, app.log) };
  app.decorate('deps', deps);
  app.addHook('onClose', async () => {
    // The notification streams ended in their preClose hook; running job attempts are handed back here.
    await deps.jobs.stop();
    await actors.close();
    await pubsub.close();
    await deps.mailer.close();
    if (redis) await redis.quit().catch(() => redis.disconnect());
    await database.close();
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const consoleBuild = loadConsoleBuild(options.consoleDir ?? CONSOLE_DIR);
  registerErrorHandler(app, { fallback: consoleFallback(consoleBuild) });
  registerQueryAliases(app);
  // A duplicate's message names the organization a user knows, not its id.
  nameOrganizationsWith(async (id) => (await findOrganizationById(deps.db, id))?.name ?? null);
  registerInputGuards(app);
  // The API speaks JSON (and multipart where a module registers it): a text/plain body must answer 415,
  // not reach a JSON schema as a string.
  app.removeContentTypeParser('text/plain');
  app.addSchema(ErrorEnvelope);
  const google = config.oidcGoogle.clientId ? ['https://accounts.google.com'] : [];
  // helmet's headers are computed once here (every directive is static) and set on every response, 404s
  // included: @fastify/helmet rebuilt the middleware (options, CSP parsing) on every request.
  const securityHeaders = staticHeaders(
    helmet({
      // The API serves JSON; the docs UI needs its own inline script and styles. Over plain HTTP (a LAN
      // address, localhost) upgrade-insecure-requests would make browsers fetch the docs' scripts over https
      // and leave the page blank: only when the deployment is behind TLS.
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          defaultSrc: ["'self'"],
          // The console (web/) is served from 'self'; Google's sign-in script only where it is configured.
          scriptSrc: ["'self'", "'unsafe-inline'", ...google],
          styleSrc: ["'self'", "'unsafe-inline'", ...google],
          frameSrc: google.length ? google : null,
          connectSrc: ["'self'", ...google],
          imgSrc: ["'self'", 'data:', 'blob:', 'validator.swagger.io'],
          upgradeInsecureRequests: config.behindTls ? [] : null,
        },
      },
      // HSTS stays on: browsers ignore it over plain HTTP (RFC 6797 §8.1), so it costs nothing there.
    }),
  );
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  await app.register(cors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after', 'x-total-count', 'link'],
  });
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    redis: redis ?? undefined,
    nameSpace: 'registrar:rl:',
    skipOnError: true,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Registrar API',
        version: '0.1.0',
        description:
          'Education management backend: organizations, people, classes, enrollments, attendance, fees. ' +
          'All endpoints live under /api/v1; errors use the `ErrorEnvelope` shape. The OneRoster 1.2 provider ' +
          "lives under /ims/oneroster (its errors add the binding's imsx status fields).",
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transform: ({ schema, url, route }) => {
      const perm = route?.config?.permission;
      const out: Record<string, unknown> & { description?: string } = { ...(schema ?? {}) };
      if (perm && perm !== 'public') out.security = [{ bearerAuth: [] }];
      if (perm && perm !== 'public' && perm !== 'authenticated') {
        out.description = `${out.description ? `${out.description}\n\n` : ''}Requires permission \`${perm}\`.`;
      }
      return { schema: out, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(authPlugin, {
    tokens: deps.tokens,
    revocations: deps.revocations,
    loadActor: (claims) => loadActor(deps.db, claims),
    actors,
    exemptPrefixes: ['/docs'],
  });
  registerMetrics(app, config.metricsToken);
  registerConsoleAssets(app, consoleBuild);
  // The composition root: every module's events and scope contributions are wired before its routes run.
  for (const mod of [...platformModules, ...apiModules]) {
    if (mod.permissions) registerPermissions(mod.permissions);
    for (const [name, d] of Object.entries(mod.errors?.unique ?? {})) describeUnique(name, d);
    for (const [name, l] of Object.entries(mod.errors?.tables ?? {})) describeTable(name, l);
    if (mod.events) domainEvents.subscribe(mod.events);
    for (const s of mod.scopes ?? []) s.apply();
    for (const kind of mod.jobs ?? []) jobKinds.register(kind);
  }
  for (const mod of platformModules) for (const routes of mod.routes) await app.register(routes);
  for (const mod of apiModules) {
    for (const routes of mod.routes) await app.register(routes, { prefix: mod.prefix ?? '/api/v1' });
  }

  await bootstrapAdmin(deps, app.log);
  await app.ready();
  try {
    await deps.jobs.start();
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}
