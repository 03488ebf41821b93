import { type Static, Type } from 'typebox';
import { JOB_STATES } from '../../kernel/jobs.js';
import { PageQueryProps } from '../../kernel/pagination.js';
import { StringEnum } from '../../kernel/schemas.js';

export { Job, type JobT } from '../../kernel/jobs.js';

export const ListJobsQuery = Type.Object(
  {
    ...PageQueryProps,
    state: Type.Optional(
      StringEnum(JOB_STATES, { description: 'Only jobs in this state', examples: ['succeeded'] }),
    ),
    kind: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$',
        maxLength: 100,
        description: 'Only jobs of this kind',
        examples: ['students.export'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListJobsQueryT = Static<typeof ListJobsQuery>;
