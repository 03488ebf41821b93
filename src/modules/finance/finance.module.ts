import { defineModule } from '../../kernel/module.js';
import { financePermissions } from './finance.policy.js';
import { financeDeskRoutes } from './finance.routes.js';
import { chargeEnrollment, reverseEnrollment } from './finance-enrollment-fees.service.js';
import { feeStructuresRoutes } from './finance-fee-structures.routes.js';
import { financeHousekeeping } from './finance-housekeeping.js';
import { financePaymentsRoutes } from './finance-payments.routes.js';

/** The finance module: what it adds to the app (see docs/architecture.md). */
export const financeModule = defineModule({
  name: 'finance',
  permissions: financePermissions,
  events: { 'enrollments.enrolled': chargeEnrollment, 'enrollments.dropped': reverseEnrollment },
  routes: [feeStructuresRoutes, financePaymentsRoutes, financeDeskRoutes, financeHousekeeping],
  errors: {
    unique: {
      ledger_entries_revocation_uq: {
        fields: ['reverses_entry_id'],
        message: () => 'This concession or waiver was already revoked',
      },
    },
  },
});
