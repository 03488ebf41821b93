import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Typed, validated configuration. Every field comes from one environment variable (see docs/configuration.md). */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  /** PGlite data directory; `null` = in-memory (tests). Files live under `${dataDir}/files`. */
  dataDir: string | null;
  filesDir: string;
  databaseUrl: string | null;
  databasePoolMax: number;
  /** PostgreSQL statement_timeout for API queries; 0 = none. */
  databaseStatementTimeoutMs: number;
  /** Named prepared statements for hot statements (off behind poolers that cannot keep them). */
  databasePreparedStatements: boolean;
  /**
   * Argon2id cost: `standard` (OWASP: 19 MiB, 2 iterations) always, except that the test suite may choose
   * `fast` (NODE_ENV=test only) so that thousands of throw-away accounts do not dominate its run time.
   */
  passwordHashing: 'standard' | 'fast';
  /** Route schemas compiled at start (`eager`, default) or at first use (`lazy`; src/kernel/schema-compilers.ts). */
  schemaCompilation: 'eager' | 'lazy';
  redisUrl: string | null;
  jwtSecret: string;
  jwtIssuer: string;
  accessTokenTtlSeconds: number;
  /** The in-process cache of verified actors (kernel/auth/actor-cache.ts): entries and lifetime (0 = off). */
  actorCache: { maxEntries: number; ttlSeconds: number };
  refreshTokenTtlSeconds: number;
  corsOrigins: string[];
  trustProxy: boolean;
  /** Served to browsers over HTTPS (directly or by a TLS proxy): send CSP upgrade-insecure-requests. */
  behindTls: boolean;
  smtpUrl: string | null;
  mailFrom: string;
  allowSelfRegistration: boolean;
  bootstrapAdmin: { username: string; password: string; email: string; organizationName: string } | null;
  rateLimit: { max: number; authMax: number; windowMs: number };
  login: { maxFailures: number; lockoutMinutes: number };
  /** How long a payment's or refund's Idempotency-Key replays its first result (then it is purged). */
  idempotencyRetentionHours: number;
  otp: { ttlMinutes: number; maxAttempts: number };
  oidcGoogle: { issuer: string; jwksUrl: string; clientId: string | null };
  bodyLimitBytes: number;
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** Imports: the largest file accepted, and the share (%) of existing records a complete import may deactivate without confirmation. */
  imports: {
    maxFileBytes: number;
    maxDeactivatePercent: number;
    syncCommitRows: number;
    commitBatchRows: number;
  };
  /**
   * Background jobs (docs/jobs.md): whether this process runs the worker, how many jobs at once, the first
   * retry delay (doubling after each failure) and how long shutdown waits for running attempts.
   */
  jobs: { worker: boolean; concurrency: number; retryDelaySeconds: number; shutdownTimeoutMs: number };
  /** The live notification stream: connections per user and process, heartbeat and session re-check periods. */
  notificationStream: { maxPerUser: number; heartbeatSeconds: number; recheckSeconds: number };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function str(env: Env, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? null : raw.trim();
}

const WEAK_SECRETS = new Set([
  'secret',
  'changeme',
  'change-me',
  'password',
  'jwt-secret',
  'your-secret-key',
]);

/**
 * Development convenience: without JWT_SECRET, a random secret is generated once and kept in DATA_DIR so
 * tokens survive restarts. Production refuses to start without a strong explicit secret.
 */
function resolveJwtSecret(env: Env, nodeEnv: Config['nodeEnv'], dataDir: string | null): string {
  const explicit = str(env, 'JWT_SECRET');
  if (explicit) {
    // Long but trivially guessable secrets ("aaaa…", "abcabc…") are as weak as short ones.
    if (explicit.length < 32 || WEAK_SECRETS.has(explicit.toLowerCase()) || new Set(explicit).size < 10) {
      if (nodeEnv === 'production') throw new ConfigError('JWT_SECRET must be at least 32 random characters');
    }
    return explicit;
  }
  if (nodeEnv === 'production') throw new ConfigError('JWT_SECRET is required in production');
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, '.jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Reads and validates the environment; throws ConfigError with a precise message on bad input. */
function oneOf<const T extends readonly string[]>(
  env: Env,
  name: string,
  allowed: T,
  fallback: T[number],
): T[number] {
  const v = str(env, name) ?? fallback;
  if (!allowed.includes(v)) throw new ConfigError(`${name} must be ${allowed.join(' or ')}, got "${v}"`);
  return v;
}

function passwordHashing(env: Env, nodeEnv: Config['nodeEnv']): Config['passwordHashing'] {
  const v = oneOf(env, 'PASSWORD_HASHING', ['standard', 'fast'] as const, 'standard');
  if (v === 'fast' && nodeEnv !== 'test') {
    throw new ConfigError('PASSWORD_HASHING=fast is for the test suite only (NODE_ENV=test)');
  }
  return v;
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as Config['nodeEnv'];
  const databaseUrl = str(env, 'DATABASE_URL');
  const dataDirRaw = env.DATA_DIR === ':memory:' ? null : resolve(str(env, 'DATA_DIR') ?? './data');
  const dataDir = 'dataDir' in overrides ? (overrides.dataDir ?? null) : dataDirRaw;
  const bootUser = str(env, 'BOOTSTRAP_ADMIN_USERNAME');
  const bootPass = str(env, 'BOOTSTRAP_ADMIN_PASSWORD');
  if ((bootUser && !bootPass) || (!bootUser && bootPass)) {
    throw new ConfigError('BOOTSTRAP_ADMIN_USERNAME and BOOTSTRAP_ADMIN_PASSWORD must be set together');
  }
  if (bootPass && bootPass.length < 12) {
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters');
  }
  const config: Config = {
    nodeEnv,
    host: str(env, 'HOST') ?? '0.0.0.0',
    port: int(env, 'PORT', 3000, 0, 65535),
    logLevel: str(env, 'LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    dataDir,
    filesDir: join(dataDir ?? resolve('./data'), 'files'),
    databaseUrl,
    databasePoolMax: int(env, 'DATABASE_POOL_MAX', 10, 1, 200),
    databaseStatementTimeoutMs: int(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 30_000, 0, 3_600_000),
    databasePreparedStatements: bool(env, 'DATABASE_PREPARED_STATEMENTS', true),
    passwordHashing: passwordHashing(env, nodeEnv),
    schemaCompilation: oneOf(env, 'SCHEMA_COMPILATION', ['eager', 'lazy'] as const, 'eager'),
    redisUrl: str(env, 'REDIS_URL'),
    jwtSecret: resolveJwtSecret(env, nodeEnv, databaseUrl ? null : dataDir),
    jwtIssuer: str(env, 'JWT_ISSUER') ?? 'registrar',
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
    actorCache: {
      maxEntries: int(env, 'ACTOR_CACHE_SIZE', 10_000, 0, 1_000_000),
      ttlSeconds: int(env, 'ACTOR_CACHE_TTL_SECONDS', 30, 0, 300),
    },
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86400, 60, 365 * 86400),
    corsOrigins: (str(env, 'CORS_ORIGINS') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    behindTls: bool(env, 'BEHIND_TLS', false),
    smtpUrl: str(env, 'SMTP_URL'),
    mailFrom: str(env, 'MAIL_FROM') ?? 'Registrar <no-reply@registrar.invalid>',
    allowSelfRegistration: bool(env, 'ALLOW_SELF_REGISTRATION', true),
    bootstrapAdmin:
      bootUser && bootPass
        ? {
            username: bootUser.toLowerCase(),
            password: bootPass,
            email: (
              str(env, 'BOOTSTRAP_ADMIN_EMAIL') ?? `${bootUser.toLowerCase()}@registrar.invalid`
            ).toLowerCase(),
            organizationName: str(env, 'BOOTSTRAP_ORGANIZATION_NAME') ?? 'Registrar',
          }
        : null,
    rateLimit: {
      max: int(env, 'RATE_LIMIT_MAX', 600, 1),
      authMax: int(env, 'RATE_LIMIT_AUTH_MAX', 20, 1),
      windowMs: int(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1000),
    },
    login: {
      maxFailures: int(env, 'LOGIN_MAX_FAILURES', 5, 1, 100),
      lockoutMinutes: int(env, 'LOGIN_LOCKOUT_MINUTES', 15, 1, 24 * 60),
    },
    otp: { ttlMinutes: int(env, 'OTP_TTL_MINUTES', 15, 1, 24 * 60), maxAttempts: 5 },
    idempotencyRetentionHours: int(env, 'IDEMPOTENCY_RETENTION_HOURS', 24, 1, 24 * 30),
    oidcGoogle: {
      issuer: str(env, 'OIDC_GOOGLE_ISSUER') ?? 'https://accounts.google.com',
      jwksUrl: str(env, 'OIDC_GOOGLE_JWKS_URL') ?? 'https://www.googleapis.com/oauth2/v3/certs',
      clientId: str(env, 'OIDC_GOOGLE_CLIENT_ID'),
    },
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024),
    metricsToken: str(env, 'METRICS_TOKEN'),
    imports: {
      maxFileBytes: int(env, 'IMPORT_MAX_FILE_BYTES', 200 * 1024 * 1024, 1024),
      maxDeactivatePercent: int(env, 'IMPORT_MAX_DEACTIVATE_PERCENT', 10, 0, 100),
      // Commits of more valid rows than this run as a background job (docs/imports.md).
      syncCommitRows: int(env, 'IMPORT_SYNC_COMMIT_ROWS', 5000, 0),
      // Staged rows per statement (set-based targets) or per batch of a commit; progress moves per batch.
      commitBatchRows: int(env, 'IMPORT_COMMIT_BATCH_ROWS', 1000, 10, 10000),
    },
    jobs: {
      // Tests build many apps that never run a job: the worker is opt-in there.
      worker: bool(env, 'JOBS_WORKER', nodeEnv !== 'test'),
      concurrency: int(env, 'JOBS_CONCURRENCY', 2, 1, 32),
      retryDelaySeconds: int(env, 'JOBS_RETRY_DELAY_SECONDS', 30, 1, 3600),
      shutdownTimeoutMs: int(env, 'JOBS_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 120_000),
    },
    notificationStream: {
      maxPerUser: int(env, 'NOTIFICATION_STREAMS_PER_USER', 5, 1, 100),
      heartbeatSeconds: int(env, 'NOTIFICATION_STREAM_HEARTBEAT_SECONDS', 20, 1, 300),
      recheckSeconds: int(env, 'NOTIFICATION_STREAM_RECHECK_SECONDS', 60, 1, 3600),
    },
  };
  return { ...config, ...overrides };
}
