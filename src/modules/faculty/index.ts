import './faculty.policy.js';

export { facultyReadScope, facultySelfScope, facultyWriteScope } from './faculty.policy.js';
export { facultyRoutes } from './faculty.routes.js';
export { Faculty } from './faculty.schemas.js';
export { toFaculty } from './faculty.service.js';
export { faculty, staff } from './faculty.table.js';
export { staffRoutes } from './staff.routes.js';
