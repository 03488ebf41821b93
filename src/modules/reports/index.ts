export { analyticsOrgScope, reportClassScope, reportOrgScope } from './reports.policy.js';
export { reportCounters, reportMonthly } from './reports.table.js';
