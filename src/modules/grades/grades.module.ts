import { defineModule } from '../../kernel/module.js';
import { gradesPermissions } from './grades.policy.js';
import { gradesRoutes } from './grades.routes.js';
import { examMarksRoutes } from './grades-exams.routes.js';
import { gradebookRoutes } from './grades-gradebook.routes.js';
import { recordsRoutes } from './grades-records.routes.js';
import { reportCardsJob } from './grades-report-cards.js';
import { reportCardsRoutes } from './grades-report-cards.routes.js';
import { scalesRoutes } from './grades-scales.routes.js';

/** The grades module: gradebook, grades and publishing, GPA, records (see docs/grades.md). */
export const gradesModule = defineModule({
  name: 'grades',
  permissions: gradesPermissions,
  routes: [scalesRoutes, gradebookRoutes, examMarksRoutes, gradesRoutes, recordsRoutes, reportCardsRoutes],
  jobs: [reportCardsJob],
});
