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

declare module '../../kernel/events.js' {
  interface DomainEvents {
    /**
     * A student was enrolled in a class. Published inside the enrollment's transaction (finance charges the
     * course fee atomically with it); a handler that throws rolls the enrollment back.
     */
    'enrollments.enrolled': EnrollmentEvent;
    /** An enrollment was dropped. Inside the drop's transaction (finance reverses the fee). */
    'enrollments.dropped': EnrollmentEvent;
  }
}
