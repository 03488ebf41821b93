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

declare module '../../kernel/events.js' {
  interface DomainEvents {
    /**
     * Students' attendance in a class crossed under the alert threshold: one event per marking with every
     * student who crossed in it (set-based consumers). Published after the marking has committed; a failing
     * handler is logged and never undoes the attendance.
     */
    'attendance.below_threshold': BelowThresholdEvent[];
  }
}
