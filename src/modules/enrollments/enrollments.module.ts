import { hasRole } from '../../kernel/auth/actor.js';
import { defineModule } from '../../kernel/module.js';
import { classAudience } from '../classes/index.js';
import { studentAudience } from '../students/index.js';
import { childEnrolledIn, enrolledIn, enrollmentsPermissions, teachesStudent } from './enrollments.policy.js';
import { enrollmentsRoutes } from './enrollments.routes.js';
import { enrollmentsFacultyRoutes } from './enrollments-faculty.routes.js';
import { classNotifyRoutes } from './enrollments-notify.routes.js';
import { programEnrollmentsRoutes } from './enrollments-programs.routes.js';
import { rosterRoutes } from './enrollments-roster.routes.js';

/** The enrollments module: what it adds to the app (see docs/architecture.md). */
export const enrollmentsModule = defineModule({
  name: 'enrollments',
  permissions: enrollmentsPermissions,
  routes: [
    enrollmentsRoutes,
    rosterRoutes,
    programEnrollmentsRoutes,
    enrollmentsFacultyRoutes,
    classNotifyRoutes,
  ],
  scopes: [
    // A class is read by the students enrolled in it and by their guardians.
    classAudience.contribute((actor, { id }) => (hasRole(actor, 'student') ? enrolledIn(actor, id) : null)),
    classAudience.contribute((actor, { id }) =>
      hasRole(actor, 'parent') ? childEnrolledIn(actor, id) : null,
    ),
    // A student is read by the faculty who teach (or taught) them.
    studentAudience.contribute((actor, { id }) =>
      hasRole(actor, 'faculty') ? teachesStudent(actor, id) : null,
    ),
  ],
});
