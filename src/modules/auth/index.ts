export { authRoutes } from './auth.routes.js';
export { type RegistrationHook, registrationHooks } from './auth.service.js';
export { sendCode } from './otp.service.js';
