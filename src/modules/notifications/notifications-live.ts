import type { DbOrTx } from '../../db/client.js';
import { publishAfterCommit } from '../../kernel/pubsub.js';

/** The pub/sub channel that announces new notifications to every API process's live streams. */
export const NOTIFICATIONS_CHANNEL = 'notifications';

/** Ids per message: 100 UUIDs stay far below the 7,000-byte pub/sub message limit. */
const IDS_PER_MESSAGE = 100;

/** A message on NOTIFICATIONS_CHANNEL: which notifications were just delivered (to anyone). */
export interface Announcement {
  ids: string[];
}

/**
 * Announces new notifications once the caller's transaction commits, so the streams that read their
 * deliveries on the message see them. The message names notifications, not recipients: each process
 * looks up only its own connected users' deliveries, in one query per message.
 */
export function announce(db: DbOrTx, notificationIds: string[]): void {
  for (let i = 0; i < notificationIds.length; i += IDS_PER_MESSAGE) {
    const msg: Announcement = { ids: notificationIds.slice(i, i + IDS_PER_MESSAGE) };
    publishAfterCommit(db, NOTIFICATIONS_CHANNEL, JSON.stringify(msg));
  }
}
