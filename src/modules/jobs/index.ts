export { jobScope } from './jobs.policy.js';
export { jobs } from './jobs.table.js';
export { createJobQueue } from './jobs-queue.service.js';
