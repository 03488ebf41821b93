export { loadActor } from './auth.repo.js';
export { authRoutes } from './auth.routes.js';
export type { RegisteredEvent } from './auth.service.js';
export { sendCode } from './otp.service.js';
