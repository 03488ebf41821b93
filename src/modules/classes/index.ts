export { classAudience, classReadScope, classTeachScope, teaches } from './classes.policy.js';
export { classesRoutes } from './classes.routes.js';
export { Class } from './classes.schemas.js';
export { classesSvc, toClass } from './classes.service.js';
export { classes, teachingAssignments } from './classes.table.js';
