import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { teachingFacultyInScope } from '../classes/index.js';
import { toStudent } from '../students/index.js';
import * as repo from './enrollments.repo.js';

/** Students enrolled in the classes a faculty member teaches (the member or a manager). */
export async function facultyStudents(db: Db, ctx: RequestContext, facultyId: string, w: PageWindow) {
  await teachingFacultyInScope(db, ctx, facultyId);
  const { rows, total } = await repo.studentsTaught(db, facultyId, w);
  return page(rows.map(toStudent), total, w);
}
