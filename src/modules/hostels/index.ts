export { allocationReadScope, hostelManageScope, hostelReadScope } from './hostels.policy.js';
export { hostelAllocations, hostelFees, hostelRooms, hostelSettings, hostels } from './hostels.table.js';
export { hostelCharge } from './hostels-fees.service.js';
