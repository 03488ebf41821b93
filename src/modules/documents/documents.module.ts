import { defineModule } from '../../kernel/module.js';
import { documentsPermissions } from './documents.policy.js';
import { documentsRoutes } from './documents.routes.js';

/** The documents module: uploaded files and their metadata (see docs/documents.md). */
export const documentsModule = defineModule({
  name: 'documents',
  permissions: documentsPermissions,
  routes: [documentsRoutes],
});
