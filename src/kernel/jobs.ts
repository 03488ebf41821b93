import type { Readable } from 'node:stream';
import { type Static, Type } from 'typebox';
import type { Db } from '../db/client.js';
import { grantsFor, type RequestContext } from './auth/actor.js';
import { Nullable, StringEnum, Timestamp, Uuid } from './schemas.js';

/**
 * Background jobs, the port between the modules that define job kinds and the jobs module that runs them
 * (docs/jobs.md). A module lists its kinds in its module definition (`jobs: [...]`); the composition root
 * registers them here; the jobs module's worker looks them up by name. A route that starts a job calls
 * `app.deps.jobs.enqueue(...)`, so no module imports the jobs module (which sits above them all).
 */

/** One run (attempt) of a job, as its kind's `run` sees it. */
export interface JobRun<P> {
  id: string;
  /** 1 for the first attempt. */
  attempt: number;
  params: P;
  /** The job's owner as an actor (roles reloaded at run time): scope every query with it. */
  ctx: RequestContext;
  db: Db;
  /** Aborted when the process shuts down: stop, and the job is retried by the next process. */
  signal: AbortSignal;
  /** Reports progress as a fraction in [0, 1] (throttled; stored as a percentage). */
  progress(fraction: number): Promise<void>;
}

/** What a job produces: one file, streamed into storage (never held in memory whole). */
export interface JobOutput {
  body: Readable;
  fileName: string;
  contentType: string;
}

/** A kind of job: its name (`<module>.<what>`), its title for people, its retry budget and its work. */
export interface JobKind<P = unknown> {
  name: string;
  title: string;
  /** Attempts in all, first included (default 3); retries back off exponentially. */
  maxAttempts?: number;
  /** An attempt running longer is presumed dead (its process crashed) and retried (default 900 s). */
  timeoutSeconds?: number;
  run(job: JobRun<P>): Promise<JobOutput>;
}

/** Identity helper that types a job kind's params. */
export const defineJobKind = <P>(kind: JobKind<P>): JobKind<P> => kind;

const NAME = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

/** The job kinds of the process, filled by the composition root from the module definitions. */
export class JobKindRegistry {
  private readonly kinds = new Map<string, JobKind>();

  /** Registers a kind; registering the same kind again (a second app in one process) is a no-op. */
  register(kind: JobKind): void {
    if (!NAME.test(kind.name)) throw new Error(`Invalid job kind name "${kind.name}"`);
    const existing = this.kinds.get(kind.name);
    if (existing && existing !== kind) throw new Error(`Job kind "${kind.name}" is defined twice`);
    this.kinds.set(kind.name, kind);
  }
  get(name: string): JobKind | undefined {
    return this.kinds.get(name);
  }
  all(): JobKind[] {
    return [...this.kinds.values()];
  }
}

export const jobKinds = new JobKindRegistry();

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A job as the API shows it (the storage key of its result never appears). */
export const Job = Type.Object(
  {
    id: Uuid('Job id'),
    kind: Type.String({ description: 'What the job does', examples: ['students.export'] }),
    title: Type.String({ description: 'The kind, for people', examples: ['Students export'] }),
    organization_id: Uuid('Organization the job works for'),
    owner_id: Uuid('User who started it (the only one notified)'),
    state: StringEnum(JOB_STATES, {
      description: 'queued (waiting, or waiting to retry) → running → succeeded | failed',
      examples: ['running'],
    }),
    progress: Type.Integer({ minimum: 0, maximum: 100, description: 'Percent done', examples: [40] }),
    attempts: Type.Integer({ description: 'Attempts started so far', examples: [1] }),
    max_attempts: Type.Integer({ description: 'Attempts allowed in all', examples: [3] }),
    error: Nullable(Type.String({ description: 'Why the last attempt failed (no internals)' })),
    params: Type.Object({}, { additionalProperties: true, description: 'What was asked for' }),
    result: Nullable(
      Type.Object({
        file_name: Type.String({ examples: ['students-2026-12-01.csv'] }),
        content_type: Type.String({ examples: ['text/csv; charset=utf-8'] }),
        size: Type.Integer({ description: 'Bytes' }),
        download_url: Type.String({
          description: 'Where to download it (same authorization as the job)',
          examples: ['/api/v1/jobs/0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d/download'],
        }),
      }),
    ),
    created_at: Timestamp(),
    started_at: Nullable(Timestamp()),
    finished_at: Nullable(Timestamp()),
  },
  { $id: 'Job' },
);
export type JobT = Static<typeof Job>;

export interface EnqueueJob {
  kind: string;
  /** The organization the job works for (an admin there may follow it too). */
  organizationId: string;
  /** JSON parameters, validated by the route that starts the job. */
  params: Record<string, unknown>;
}

/** The job queue of an app (`app.deps.jobs`), provided by the jobs module. */
export interface JobQueue {
  /** Records the job and queues it in one transaction; the worker of any API process picks it up. */
  enqueue(ctx: RequestContext, job: EnqueueJob): Promise<JobT>;
  /** Starts the queue (and the worker when JOBS_WORKER is on). */
  start(): Promise<void>;
  /** Stops the worker: running attempts are aborted and retried by the next process. */
  stop(): Promise<void>;
}

/**
 * The organization a job works for when its route names none: the first organization where the actor
 * holds the route's permission (so an admin there may follow the job), else the actor's home.
 */
export function jobOrganization(ctx: RequestContext, permission: string): string | null {
  return grantsFor(ctx.actor, permission)[0]?.organizationId ?? ctx.actor.organizationId;
}
