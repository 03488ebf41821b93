export { gradeReadScope, recordReadScope as academicRecordScope } from './grades.policy.js';
export {
  assessmentMarks,
  assessments,
  gradeChanges,
  grades,
  gradingScales,
  semesterResults,
  transferGrades,
} from './grades.table.js';
export { bandFor, computeGpa, courseAverage, roundBy } from './grades-gpa.js';
