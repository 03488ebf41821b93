export { importScope, importsPermissions } from './imports.policy.js';
export { importRows, imports } from './imports.table.js';
