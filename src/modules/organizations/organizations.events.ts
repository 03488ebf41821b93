/** An organization was added to or removed from the tree: every subtree that holds it changed. */
export interface TreeChangedEvent {
  organizationId: string;
  change: 'created' | 'deleted';
}

declare module '../../kernel/events.js' {
  interface DomainEvents {
    /**
     * Published inside the transaction that creates or deletes an organization (organizations never move:
     * `parent_id` cannot be changed). The actors loaded with their grants' subtrees (auth) are forgotten in
     * every process once it commits.
     */
    'organizations.tree_changed': TreeChangedEvent;
  }
}
