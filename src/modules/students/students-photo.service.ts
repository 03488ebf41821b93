import type { Readable } from 'node:stream';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { notFound } from '../../kernel/errors.js';
import { readPhoto, replacePhoto } from './photo.js';
import { studentPhotoScope } from './students.policy.js';
import * as repo from './students.repo.js';
import { readScope } from './students.service.js';
import { students } from './students.table.js';

/** Replaces a student's photo (managers in scope, or the student their own). */
export function setStudentPhoto(deps: AppDeps, ctx: RequestContext, id: string, file: Readable) {
  const scope = studentPhotoScope(ctx.actor, students);
  return replacePhoto(
    deps,
    ctx,
    {
      prefix: `students/${id}`,
      entityType: 'student',
      entityId: id,
      notFound: 'Student',
      find: (db) => repo.findInScope(db, scope, id),
      save: async (tx, key, contentType) => {
        await repo.update(tx, id, { photoKey: key, photoContentType: contentType });
      },
    },
    file,
  );
}

/** The photo stream of a student the actor may read. */
export async function getStudentPhoto(deps: AppDeps, ctx: RequestContext, id: string) {
  const row = await repo.findInScope(deps.db, readScope(ctx.actor), id);
  if (!row) throw notFound('Student');
  return readPhoto(deps, row);
}
