import { type Static, Type } from 'typebox';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

export const ROUNDING = ['half_up', 'half_even', 'floor', 'ceil'] as const;

export const BandSchema = Type.Object(
  {
    letter: Type.String({
      minLength: 1,
      maxLength: 10,
      description: 'Letter shown on grades',
      examples: ['A-'],
    }),
    min_percent: Type.Number({
      minimum: 0,
      maximum: 100,
      description: 'Lowest (rounded) percentage of the band',
    }),
    grade_points: Type.Number({ minimum: 0, maximum: 10, description: 'Grade points for the GPA' }),
    is_passing: Type.Boolean({ description: 'The band passes the course (earns its credits)' }),
  },
  { additionalProperties: false },
);

export const GradingScale = Type.Object({
  id: Uuid(),
  organization_id: Nullable(Uuid('Owner; null for the built-in scales shared by everyone')),
  code: Type.String(),
  name: Type.String(),
  bands: Type.Array(BandSchema),
  rounding_mode: StringEnum(ROUNDING),
  rounding_decimals: Type.Integer(),
  count_failed_in_gpa: Type.Boolean(),
  is_builtin: Type.Boolean(),
  created_at: Timestamp(),
  updated_at: Timestamp(),
});
export type GradingScaleT = Static<typeof GradingScale>;

const scaleFields = {
  name: Type.String({ minLength: 1, maxLength: 200, description: 'Display name' }),
  bands: Type.Array(BandSchema, { minItems: 1, maxItems: 30, description: 'Bands; one must start at 0 %' }),
  rounding_mode: Type.Optional(
    StringEnum(ROUNDING, {
      description: 'How the percentage is rounded before the band lookup (default half_up)',
    }),
  ),
  rounding_decimals: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 4, description: 'Decimals kept (default 2)' }),
  ),
  count_failed_in_gpa: Type.Optional(
    Type.Boolean({ description: 'Failed attempts count in the GPA with zero points (default true)' }),
  ),
};
export const CreateScale = Type.Object(
  {
    organization_id: Uuid('Organization that owns the scale'),
    code: Type.String({
      minLength: 1,
      maxLength: 50,
      pattern: '^[a-z0-9_.-]+$',
      description: 'Unique per organization',
    }),
    ...scaleFields,
  },
  { additionalProperties: false },
);
export type CreateScaleT = Static<typeof CreateScale>;
export const UpdateScale = Type.Partial(Type.Object(scaleFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateScaleT = Static<typeof UpdateScale>;
export const ListScalesQuery = Type.Object(
  { organization_id: Type.Optional(Uuid('Only this organization’s scales (plus the built-ins)')) },
  { additionalProperties: false },
);

export const CourseScale = Type.Object({
  course_id: Uuid(),
  grading_scale_id: Uuid(),
  source: StringEnum(['course', 'organization', 'builtin'] as const, {
    description: 'Where the effective scale comes from',
  }),
});
export const SetCourseScale = Type.Object(
  { grading_scale_id: Uuid('A built-in scale or one of the course organization’s (or its ancestors’)') },
  { additionalProperties: false },
);

export const GradeSettings = Type.Object({
  organization_id: Uuid(),
  from_organization_id: Nullable(Uuid('The organization whose settings apply (nearest on the path)')),
  default_grading_scale_id: Nullable(Uuid()),
  repeat_policy: StringEnum(['best', 'latest'] as const, {
    description: 'Which attempt of a repeated course counts',
  }),
  honor_roll_min_gpa: Type.Number(),
  honor_roll_min_credits: Type.Number(),
});
export const PutGradeSettings = Type.Object(
  {
    default_grading_scale_id: Type.Optional(Nullable(Uuid('Default scale of the organization’s courses'))),
    repeat_policy: Type.Optional(
      StringEnum(['best', 'latest'] as const, { description: 'best (default) or latest attempt counts' }),
    ),
    honor_roll_min_gpa: Type.Optional(
      Type.Number({ minimum: 0, maximum: 10, description: 'Honor roll SGPA threshold' }),
    ),
    honor_roll_min_credits: Type.Optional(
      Type.Number({ minimum: 0, maximum: 100, description: 'Minimum credits earned in the term' }),
    ),
  },
  { additionalProperties: false },
);
export const OrgParams = Type.Object(
  { organization_id: Uuid('Organization') },
  { additionalProperties: false },
);
