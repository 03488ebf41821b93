import { registerErrorBody } from '../../kernel/error-handler.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { clientAuthHook } from './oneroster.policy.js';
import { onerosterCsvRoutes } from './oneroster-csv.routes.js';
import { imsxStatus } from './oneroster-errors.js';
import { onerosterGradebookRoutes } from './oneroster-gradebook.routes.js';
import { onerosterRosteringRoutes } from './oneroster-rostering.routes.js';
import { onerosterTokenRoutes } from './oneroster-token.routes.js';

/**
 * The OneRoster 1.2 provider, mounted at /ims/oneroster: the token endpoint, the rostering and gradebook
 * services. Its routes authenticate API clients (not users) in their own hook, and its errors carry the
 * binding's imsx status fields beside the error envelope.
 */
export const onerosterRoutes: RoutePlugin = async (app) => {
  registerErrorBody('/ims/oneroster', imsxStatus);
  app.decorateRequest('apiClient', null);
  app.addHook('onRequest', clientAuthHook(app.deps));
  await app.register(onerosterTokenRoutes);
  await app.register(onerosterCsvRoutes);
  await app.register(onerosterRosteringRoutes, { prefix: '/rostering/v1p2' });
  await app.register(onerosterGradebookRoutes, { prefix: '/gradebook/v1p2' });
};
