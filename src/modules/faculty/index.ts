export {
  facultyReadScope,
  facultySelfScope,
  facultyWriteScope,
  staffReadScope,
  staffWriteScope,
} from './faculty.policy.js';
export { Faculty, FacultyCourse } from './faculty.schemas.js';
export { toFaculty } from './faculty.service.js';
export { faculty, staff } from './faculty.table.js';
export {
  applyFacultyImport,
  deactivateMissingFaculty,
  FACULTY_IMPORT_FIELDS,
  facultyByEmployeeIds,
  facultyCreateConflicts,
  facultyRowError,
  importFacultySchool,
  missingFaculty,
} from './faculty-import.service.js';
