import type { DbOrTx } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';

/** A student's attendance in a class has just dropped under the organization's alert threshold. */
export interface BelowThresholdEvent {
  studentId: string;
  classId: string;
  organizationId: string;
  /** Percentage before and after the marking that crossed the threshold. */
  previousPercentage: number | null;
  percentage: number;
  threshold: number;
}

/** Called once per marking with every student who crossed under the threshold in it (set-based consumers). */
export type BelowThresholdHook = (
  db: DbOrTx,
  ctx: RequestContext,
  events: BelowThresholdEvent[],
) => Promise<void>;

/**
 * Extension points wired by the integrator (e.g. notify the student's guardians). They run after the
 * marking has committed; a failing hook is logged by the caller and never undoes the attendance.
 */
export const attendanceHooks: { onBelowThreshold: BelowThresholdHook[] } = { onBelowThreshold: [] };
