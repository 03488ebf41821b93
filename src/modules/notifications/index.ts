export { notify, notifyStudentsBulk, type Recipients } from './notifications.service.js';
export { notifications, userNotifications } from './notifications.table.js';
