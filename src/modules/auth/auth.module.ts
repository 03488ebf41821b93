import { defineModule } from '../../kernel/module.js';
import { accountCodes } from '../users/index.js';
import { authRoutes } from './auth.routes.js';
import { endSessions } from './auth.service.js';
import { sendCode } from './auth-otp.service.js';

/** The auth module: what it adds to the app (see docs/architecture.md). */
export const authModule = defineModule({
  name: 'auth',
  routes: [authRoutes],
  events: { 'users.deactivated': endSessions, 'users.password_reset': endSessions },
  // The users module's flows email one-time codes after commit; the codes are this module's (see accountCodes).
  scopes: [accountCodes.provide(sendCode)],
});
