export { feeScope } from './finance.policy.js';
export * from './finance.table.js';
export { chargeEnrollment, reverseEnrollment } from './finance-enrollment-fees.service.js';
