export { classAudience, classReadScope, classTeachScope, teaches } from './classes.policy.js';
export { Class } from './classes.schemas.js';
export { classesSvc, teachingFacultyInScope, toClass } from './classes.service.js';
export { classes, teachingAssignments } from './classes.table.js';
