import { defineModule } from '../../kernel/module.js';
import { examsPermissions } from './exams.policy.js';
import { examsRoutes } from './exams.routes.js';
import { examTimetableRoutes } from './exams-timetable.routes.js';

/** The exams module: exam schedules, venues and the clash-checked exam timetable (see docs/exams.md). */
export const examsModule = defineModule({
  name: 'exams',
  permissions: examsPermissions,
  routes: [examsRoutes, examTimetableRoutes],
});
