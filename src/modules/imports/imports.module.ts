import { defineModule } from '../../kernel/module.js';
import { importsPermissions } from './imports.policy.js';
import { importsRoutes } from './imports.routes.js';
import { importsCommitJob } from './imports-commit-job.js';

/** The imports module: one streaming, staged, dry-run-first pipeline for every roster target. */
export const importsModule = defineModule({
  name: 'imports',
  permissions: importsPermissions,
  routes: [importsRoutes],
  jobs: [importsCommitJob],
});
