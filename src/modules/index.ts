import type { ModuleDefinition } from '../kernel/module.js';
import { academicsModule } from './academics/academics.module.js';
import { attendanceModule } from './attendance/attendance.module.js';
import { auditModule } from './audit/audit.module.js';
import { authModule } from './auth/auth.module.js';
import { classesModule } from './classes/classes.module.js';
import { clientsModule } from './clients/clients.module.js';
import { documentsModule } from './documents/documents.module.js';
import { enrollmentsModule } from './enrollments/enrollments.module.js';
import { examsModule } from './exams/exams.module.js';
import { facultyModule } from './faculty/faculty.module.js';
import { financeModule } from './finance/finance.module.js';
import { gradesModule } from './grades/grades.module.js';
import { hostelsModule } from './hostels/hostels.module.js';
import { importsModule } from './imports/imports.module.js';
import { jobsModule } from './jobs/jobs.module.js';
import { libraryModule } from './library/library.module.js';
import { notificationsModule } from './notifications/notifications.module.js';
import { onerosterModule } from './oneroster/oneroster.module.js';
import { organizationsModule } from './organizations/organizations.module.js';
import { personnelModule } from './personnel/personnel.module.js';
import { platformModule } from './platform/platform.module.js';
import { reportsModule } from './reports/reports.module.js';
import { studentsModule } from './students/students.module.js';
import { timetableModule } from './timetable/timetable.module.js';
import { usersModule } from './users/users.module.js';

/** The platform routes (health, readiness, metrics), registered at the root, outside /api/v1. */
export const platformModules: ModuleDefinition[] = [platformModule];

/**
 * Every API module, listed explicitly (the composition root). Routes are registered under /api/v1 in
 * this order; event subscriptions run in this order too.
 */
export const apiModules: ModuleDefinition[] = [
  authModule,
  usersModule,
  organizationsModule,
  auditModule,
  financeModule,
  notificationsModule,
  studentsModule,
  facultyModule,
  academicsModule,
  classesModule,
  enrollmentsModule,
  attendanceModule,
  timetableModule,
  libraryModule,
  hostelsModule,
  documentsModule,
  gradesModule,
  examsModule,
  personnelModule,
  importsModule,
  jobsModule,
  clientsModule,
  onerosterModule,
  reportsModule,
];
