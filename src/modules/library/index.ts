export {
  deskScope as libraryDeskScope,
  patronReadScope as libraryPatronReadScope,
} from './library.policy.js';
export * from './library.table.js';
export { fineFor } from './library-fines.service.js';
export { isbnProblem, normalizeIsbn } from './library-isbn.js';
