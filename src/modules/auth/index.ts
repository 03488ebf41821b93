export { liveSessionIds, loadActor, loadUserActor } from './auth.repo.js';
export type { RegisteredEvent } from './auth.service.js';
export { sendCode } from './auth-otp.service.js';
