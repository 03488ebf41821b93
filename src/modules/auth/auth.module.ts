import { defineModule } from '../../kernel/module.js';
import { accountCodes } from '../users/index.js';
import { authRoutes } from './auth.routes.js';
import { endSessions, forgetAllActors, forgetUserActors } from './auth.service.js';
import { sendCode } from './auth-otp.service.js';

/** The auth module: what it adds to the app (see docs/architecture.md). */
export const authModule = defineModule({
  name: 'auth',
  routes: [authRoutes],
  events: {
    'users.deactivated': endSessions,
    'users.password_reset': endSessions,
    // What a cached actor may do changed (kernel/auth/actor-cache.ts).
    'users.roles_changed': forgetUserActors,
    'organizations.tree_changed': forgetAllActors,
  },
  // The users module's flows email one-time codes after commit; the codes are this module's (see accountCodes).
  scopes: [accountCodes.provide(sendCode)],
});
