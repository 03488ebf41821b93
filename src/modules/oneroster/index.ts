export { onerosterTombstones } from './oneroster.table.js';
