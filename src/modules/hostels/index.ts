export { allocationReadScope, hostelManageScope, hostelReadScope } from './hostels.policy.js';
export { hostelCharge } from './hostels-fees.service.js';
export { hostelAllocations, hostelFees, hostelRooms, hostelSettings, hostels } from './hostels.table.js';
