import './faculty.policy.js';

export { facultyReadScope, facultySelfScope, facultyWriteScope } from './faculty.policy.js';
export { Faculty } from './faculty.schemas.js';
export { toFaculty } from './faculty.service.js';
export { faculty, staff } from './faculty.table.js';
