import { defineModule } from '../../kernel/module.js';
import { libraryPermissions } from './library.policy.js';
import { libraryBooksRoutes } from './library-books.routes.js';
import { libraryFinesRoutes } from './library-fines.routes.js';
import { libraryHoldsRoutes } from './library-holds.routes.js';
import { libraryLoansRoutes } from './library-loans.routes.js';
import { libraryRulesRoutes } from './library-rules.routes.js';

/** The library module: catalogue, circulation, holds, rules and fines (see docs/library.md). */
export const libraryModule = defineModule({
  name: 'library',
  permissions: libraryPermissions,
  routes: [
    libraryBooksRoutes,
    libraryLoansRoutes,
    libraryHoldsRoutes,
    libraryRulesRoutes,
    libraryFinesRoutes,
  ],
});
