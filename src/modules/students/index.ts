export {
  guardianOf,
  studentAudience,
  studentListScope,
  studentReadScope,
  studentWriteScope,
} from './students.policy.js';
export {
  findInScope as findStudentInScope,
  listQueries as studentListQueries,
  managedOrgIds as studentManagedOrgIds,
} from './students.repo.js';
export { Student } from './students.schemas.js';
export {
  listScope as studentListScopeFor,
  listStudents,
  readScope as studentReadScopeFor,
  toStudent,
  writeScope as studentWriteScopeFor,
} from './students.service.js';
export { guardians, studentGuardians, students } from './students.table.js';
export {
  applyGuardianImport,
  applyOneRosterGuardians,
  GUARDIAN_IMPORT_FIELDS,
  guardianCounts,
  guardianRowError,
  guardiansByExternalIds,
  importGuardianSchool,
  unknownChildren,
} from './students-guardians-import.service.js';
export {
  applyStagedStudents,
  applyStudentDemographics,
  applyStudentImport,
  deactivateMissingStudents,
  importSchool,
  missingStudents,
  STUDENT_IMPORT_FIELDS,
  studentRowError,
  studentsByNumbers,
} from './students-import.service.js';
export {
  PHOTO_MAX_BYTES,
  readPhoto,
  replacePhoto,
  sniffImage,
  storePhoto,
} from './students-photo.service.js';
export {
  emptyMultipartBody,
  imageResponse,
  PhotoResult,
  PhotoUploadBody,
  registerPhotoUploads,
  uploadedFile,
} from './students-upload.routes.js';
