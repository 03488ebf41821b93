/**
 * The tree changed: an organization was added, removed, or moved under another parent with its subtree.
 * Every subtree that holds it changed. A move says which materialized-path prefix became which, so a module
 * that keeps a copy of a path (OneRoster's tombstones) can rewrite it in the same transaction.
 */
export type TreeChangedEvent =
  | { organizationId: string; change: 'created' | 'deleted' }
  | { organizationId: string; change: 'moved'; fromPath: string; toPath: string };

declare module '../../kernel/events.js' {
  interface DomainEvents {
    /**
     * Published inside the transaction that creates, deletes or moves an organization
     * (`POST /organizations/{id}/move`). The actors loaded with their grants' subtrees (auth) are forgotten
     * in every process once it commits.
     */
    'organizations.tree_changed': TreeChangedEvent;
  }
}
