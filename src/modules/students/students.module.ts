import { defineModule } from '../../kernel/module.js';
import { studentsPermissions } from './students.policy.js';
import { studentsRoutes } from './students.routes.js';
import { followLoginEmail } from './students-email.service.js';
import { studentsExportJob } from './students-export-job.js';
import { guardiansRoutes } from './students-guardians.routes.js';
import { createRegisteredStudent } from './students-registration.service.js';

/** The students module: what it adds to the app (see docs/architecture.md). */
export const studentsModule = defineModule({
  name: 'students',
  permissions: studentsPermissions,
  events: { 'auth.registered': createRegisteredStudent, 'users.email_changed': followLoginEmail },
  routes: [studentsRoutes, guardiansRoutes],
  jobs: [studentsExportJob],
});
