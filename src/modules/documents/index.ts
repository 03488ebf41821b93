export { documentReadScope } from './documents.policy.js';
export { Document } from './documents.schemas.js';
export { toDocument } from './documents.service.js';
export { documents } from './documents.table.js';
export { DOCUMENT_KINDS, DOCUMENT_MAX_BYTES, DocumentGuard } from './documents-upload.js';
