import { attendanceReport, examResults, studentPerformance } from './reports-academic.repo.js';
import { attendanceCompliance } from './reports-compliance.repo.js';
import type { ReportDef } from './reports-engine.js';
import { hostelOccupancy, libraryStats } from './reports-facilities.repo.js';
import { departmentWise, feeCollection } from './reports-ops.repo.js';

/** The reports, in the order /docs lists them: the routes serve each, the export job runs any of them. */
export const REPORTS: readonly ReportDef[] = [
  studentPerformance,
  attendanceReport,
  feeCollection,
  examResults,
  libraryStats,
  hostelOccupancy,
  departmentWise,
  attendanceCompliance,
];
