import { type Static, Type } from 'typebox';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

/** Feed links one user may hold (each a separate subscription: own timetable, a child's, a room …). */
export const MAX_FEEDS_PER_USER = 20;

export const FeedKind = StringEnum(['student', 'faculty', 'room'], {
  description: 'Whose timetable: a student, a faculty member, or a room',
  examples: ['student'],
});

export const CreateFeed = Type.Object(
  {
    kind: FeedKind,
    target: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'The student or faculty id (uuid), or the room number',
      examples: ['01a234d5-fdd6-73d1-b2f1-ef74af3d55fb'],
    }),
  },
  { additionalProperties: false },
);
export type CreateFeedT = Static<typeof CreateFeed>;

const FeedProps = {
  id: Uuid(),
  kind: FeedKind,
  target: Type.String({ examples: ['01a234d5-fdd6-73d1-b2f1-ef74af3d55fb'] }),
  created_at: Timestamp(),
  rotated_at: Nullable(Timestamp()),
  last_used_at: Nullable(Timestamp('Last time a calendar fetched the feed (to 5 minutes)')),
};

/** A feed link as listed: never the secret (it is stored only as a hash). */
export const CalendarFeed = Type.Object(FeedProps, { $id: 'CalendarFeed' });

/** A feed link just created or rotated: the only time its secret URL is shown. */
export const CalendarFeedWithUrl = Type.Object(
  {
    ...FeedProps,
    url: Type.String({
      description: 'Subscribe to this URL in a calendar app; it is shown once, keep it private',
      examples: ['https://registrar.example.edu/api/v1/timetable/feeds/3q2-7wAbC….ics'],
    }),
    webcal_url: Type.String({ description: 'The same URL with the webcal:// scheme (opens calendar apps)' }),
  },
  { $id: 'CalendarFeedWithUrl' },
);

/** The URL secret: 32 random bytes, base64url (43 characters). */
export const FeedTokenParams = Type.Object(
  {
    token: Type.String({
      minLength: 43,
      maxLength: 43,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'The secret of a feed link',
    }),
  },
  { additionalProperties: false },
);
