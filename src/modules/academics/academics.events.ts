/** A department's head is being set (create or update with a non-null head_faculty_id). */
export interface DepartmentHeadAssigned {
  departmentId: string | null;
  organizationId: string;
  /** Materialized path of the department's organization. */
  organizationPath: string;
  facultyId: string;
}

declare module '../../kernel/events.js' {
  interface DomainEvents {
    /**
     * Published inside the department's create/update transaction before the write, so the faculty module
     * (which owns faculty records; academics may not depend on it) checks that the head is a faculty member
     * of the department's organization or an ancestor, and throws the field error when not.
     */
    'academics.department_head_assigned': DepartmentHeadAssigned;
  }
}
