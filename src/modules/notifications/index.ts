export { notificationsRoutes } from './notifications.routes.js';
export { notify, type Recipients } from './notifications.service.js';
export { notifications, userNotifications } from './notifications.table.js';
