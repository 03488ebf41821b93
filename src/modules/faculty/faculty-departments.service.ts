import { businessRule } from '../../kernel/errors.js';
import type { EventHandler } from '../../kernel/events.js';
import * as repo from './faculty.repo.js';

/**
 * A department's head must be a faculty member of the department's organization, one of its ancestors or
 * its subtree: checked in the department's transaction (`academics.department_head_assigned`), with the
 * field error the department endpoints have always answered (422 invalid_reference on head_faculty_id).
 */
export const checkDepartmentHead: EventHandler<'academics.department_head_assigned'> = async (
  db,
  _ctx,
  e,
) => {
  if (e.facultyId === null || e.facultyId === undefined) return;
  if (await repo.existsInOrgTree(db, e.facultyId, e.organizationPath)) return;
  throw businessRule('invalid_reference', 'Faculty member does not exist in this organization', [
    { field: 'head_faculty_id', message: 'does not exist in this organization' },
  ]);
};
