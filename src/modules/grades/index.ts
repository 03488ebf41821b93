export { gradeReadScope, recordReadScope as academicRecordScope } from './grades.policy.js';
export {
  assessmentCategories,
  assessmentMarks,
  assessments,
  gradeChanges,
  grades,
  gradingScales,
  semesterResults,
  transferGrades,
} from './grades.table.js';
export { bandFor, computeGpa, courseAverage, roundBy } from './grades-gpa.js';
export type { AssessmentT, CreateAssessmentT, UpdateAssessmentT } from './grades-gradebook.schemas.js';
export { createAssessment, updateAssessment } from './grades-gradebook.service.js';
export type { MarkRow } from './grades-marks.repo.js';
export { saveMarks } from './grades-marks.service.js';
