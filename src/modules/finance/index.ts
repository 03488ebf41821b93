export { feeScope } from './finance.policy.js';
export { IdempotencyHeaders } from './finance.schemas.js';
export * from './finance.table.js';
export {
  type ChargeInput,
  type CreditInput,
  payInTransaction,
  postCharge,
  postCredit,
} from './finance-charges.service.js';
export { chargeEnrollment, reverseEnrollment } from './finance-enrollment-fees.service.js';
export { purgeIdempotencyKeys } from './finance-housekeeping.js';
