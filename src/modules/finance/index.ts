import type { FastifyInstance } from 'fastify';
import { financeDeskRoutes } from './finance-desk.routes.js';
import { feeStructuresRoutes } from './finance-fee-structures.routes.js';
import { financePaymentsRoutes } from './finance-payments.routes.js';

/** Fees and finance: fee structures, payments, refunds, receipts, ledger and the finance desk. */
export async function financeRoutes(app: FastifyInstance) {
  await feeStructuresRoutes(app);
  await financePaymentsRoutes(app);
  await financeDeskRoutes(app);
}

export { feeScope } from './finance.policy.js';
export * from './finance.table.js';
export { chargeEnrollment, reverseEnrollment } from './finance-hooks.js';
export { type ChargeInput, postCharge } from './finance-charges.service.js';
