export { AuditLog, type AuditLogT } from './audit.schemas.js';
