import type { DbOrTx } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';

/** What other modules learn about an enrollment change. */
export interface EnrollmentEvent {
  enrollmentId: string;
  studentId: string;
  classId: string;
  organizationId: string;
  courseId: string | null;
  /** When the change happened (drop date for refunds). */
  at: Date;
}

export type EnrollmentHook = (tx: DbOrTx, ctx: RequestContext | null, e: EnrollmentEvent) => Promise<void>;

/**
 * Extension points run inside the enrollment's own transaction (so, e.g., the finance module charges the
 * course fee atomically with the enrollment, and reverses it on drop). A hook that throws rolls it all back.
 */
export const enrollmentHooks: { onEnrolled: EnrollmentHook[]; onDropped: EnrollmentHook[] } = {
  onEnrolled: [],
  onDropped: [],
};
