import { defineModule } from '../../kernel/module.js';
import { facultyPermissions } from './faculty.policy.js';
import { facultyRoutes } from './faculty.routes.js';
import { checkDepartmentHead } from './faculty-departments.service.js';
import { followLoginEmail } from './faculty-email.service.js';
import { staffRoutes } from './faculty-staff.routes.js';

/** The faculty module: what it adds to the app (see docs/architecture.md). */
export const facultyModule = defineModule({
  name: 'faculty',
  permissions: facultyPermissions,
  events: {
    'academics.department_head_assigned': checkDepartmentHead,
    'users.email_changed': followLoginEmail,
  },
  routes: [facultyRoutes, staffRoutes],
  errors: {
    tables: {
      faculty: { singular: 'faculty member', plural: 'faculty members' },
      staff: { singular: 'staff member', plural: 'staff members' },
    },
  },
});
