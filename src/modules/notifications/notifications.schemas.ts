import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

export const Audience = StringEnum(['all', 'students', 'faculty', 'staff', 'specific'], {
  description: 'Who receives it: everyone, a role, or `specific` users listed in target_ids',
});

export const Notification = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid('Organization the notification belongs to'),
    title: Type.String({ examples: ['Payment received'] }),
    body: Type.String(),
    target_audience: Type.String({ description: 'all | students | faculty | staff | specific | event' }),
    kind: Type.String({
      description: 'announcement, or the system event that caused it',
      examples: ['payment_received'],
    }),
    data: Type.Object({}, { additionalProperties: true, description: 'Event details (ids, amounts)' }),
    created_by: Nullable(Uuid('Sender; null for system events')),
    created_at: Timestamp(),
    is_read: Type.Boolean({ description: 'Whether you have read it' }),
    read_at: Nullable(Timestamp()),
  },
  { $id: 'Notification' },
);
export type NotificationT = Static<typeof Notification>;

export const NotificationDetail = Type.Object({
  ...Notification.properties,
  recipient_count: Type.Integer({ description: 'How many users received it' }),
});

export const CreateNotification = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200, examples: ['School closed Friday'] }),
    body: Type.String({
      minLength: 1,
      maxLength: 5000,
      examples: ['The school is closed on Friday for maintenance.'],
    }),
    target_audience: Audience,
    target_ids: Type.Optional(
      Type.Array(Uuid('User id'), {
        minItems: 1,
        maxItems: 1000,
        uniqueItems: true,
        description: 'Users, for `specific`',
      }),
    ),
    organization_id: Type.Optional(
      Uuid('Organization whose subtree is the audience; defaults to the one you send for'),
    ),
  },
  { additionalProperties: false },
);
export type CreateNotificationT = Static<typeof CreateNotification>;

export const Created = Type.Object({
  ...Notification.properties,
  recipient_count: Type.Integer({ description: 'How many users received it' }),
});

export const ListNotificationsQuery = Type.Object(
  { ...PageQueryProps, unread: Type.Optional(Type.Boolean({ description: 'Only unread ones' })) },
  { additionalProperties: false },
);

export const UnreadCount = Type.Object({
  unread: Type.Integer({ description: 'Unread notifications', examples: [3] }),
});
