import { defineModule } from '../../kernel/module.js';
import { classesPermissions } from './classes.policy.js';
import { classesRoutes } from './classes.routes.js';
import { classesTeachingRoutes } from './classes-teaching.routes.js';

/** The classes module: what it adds to the app (see docs/architecture.md). */
export const classesModule = defineModule({
  name: 'classes',
  permissions: classesPermissions,
  routes: [classesRoutes, classesTeachingRoutes],
  errors: {
    unique: {
      teaching_assignments_class_faculty_subject_uq: {
        fields: ['faculty_id', 'class_id', 'subject_id'],
        message: (v) =>
          v.subject_id && v.subject_id !== 'null'
            ? 'This faculty member already teaches this subject in this class'
            : 'This faculty member is already assigned to this class without a subject',
      },
    },
    tables: {
      classes: { singular: 'class', plural: 'classes' },
      teaching_assignments: { singular: 'teaching assignment', plural: 'teaching assignments' },
    },
  },
});
