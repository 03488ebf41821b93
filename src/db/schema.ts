// Every table, re-exported from the module that owns it. drizzle-kit reads this file to generate migrations.

export * from '../kernel/audit.table.js';
export * from '../kernel/mail/outbox.table.js';
export * from '../modules/academics/academics.table.js';
export * from '../modules/attendance/attendance.table.js';
export * from '../modules/auth/auth.table.js';
export * from '../modules/classes/classes.table.js';
export * from '../modules/clients/clients.table.js';
export * from '../modules/documents/documents.table.js';
export * from '../modules/enrollments/enrollments.table.js';
export * from '../modules/exams/exams.table.js';
export * from '../modules/faculty/faculty.table.js';
export * from '../modules/finance/finance.table.js';
export * from '../modules/grades/grades.table.js';
export * from '../modules/hostels/hostels.table.js';
export * from '../modules/imports/imports.table.js';
export * from '../modules/jobs/jobs.table.js';
export * from '../modules/library/library.table.js';
export * from '../modules/notifications/notifications.table.js';
export * from '../modules/oneroster/oneroster.table.js';
export * from '../modules/organizations/organizations.table.js';
export * from '../modules/personnel/personnel.table.js';
export * from '../modules/reports/reports.table.js';
export * from '../modules/students/students.table.js';
export * from '../modules/timetable/timetable.table.js';
export * from '../modules/users/users.table.js';
