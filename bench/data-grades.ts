// Dataset step for the gradebook: a year of assessments and marks, and posted grades (data.ts runs it).
import { type Query, type StepCtx, withIndexesDropped } from './data-steps.js';

/** Eight assessments per class over the school year, in three weighted categories. */
const PLAN = [
  ['Homework 1', 'assignment', 'Homework', 20, '2025-09-19'],
  ['Quiz 1', 'quiz', 'Quizzes', 10, '2025-09-26'],
  ['Homework 2', 'assignment', 'Homework', 20, '2025-10-17'],
  ['Quiz 2', 'quiz', 'Quizzes', 10, '2025-10-24'],
  ['Midterm', 'midterm', 'Tests', 100, '2025-11-14'],
  ['Homework 3', 'assignment', 'Homework', 20, '2026-02-13'],
  ['Quiz 3', 'quiz', 'Quizzes', 10, '2026-03-13'],
  ['Final', 'final', 'Tests', 100, '2026-05-29'],
] as const;

export const gradeSteps: Array<{ label: string; run: (q: Query, ctx: StepCtx) => Promise<unknown> }> = [
  {
    label: 'grades: terms, categories and 8 assessments per class (+1 for marks entry)',
    run: async (q) => {
      await q(`
        insert into academic_sessions (id, organization_id, type, name, start_date, end_date)
        select gen_random_uuid(), uni.id, 'semester', t.name, t.s, t.e
          from uni, (values ('Bench Fall 2025', date '2025-09-01', date '2025-12-20'),
                            ('Bench Spring 2026', date '2026-01-10', date '2026-06-30')) t(name, s, e)`);
      await q(
        `update classes set academic_session_id = (select id from academic_sessions where name = 'Bench Fall 2025')`,
      );
      await q(`
        insert into assessment_categories (id, organization_id, class_id, name, weight)
        select gen_random_uuid(), c.organization_id, c.id, k.name, k.w
          from classes c, (values ('Homework', 30), ('Quizzes', 30), ('Tests', 40)) k(name, w)`);
      const plan = PLAN.map(
        ([name, type, cat, max, day], i) =>
          `(${i + 1}, '${name}', '${type}', '${cat}', ${max}, date '${day}')`,
      ).join(', ');
      await q(`
        insert into assessments (id, organization_id, class_id, category_id, academic_session_id, name,
                                 assessment_type, max_marks, assessment_date)
        select gen_random_uuid(), c.organization_id, c.id, ac.id, c.academic_session_id, p.name,
               p.type::assessment_type, p.max, p.day
          from classes c cross join (values ${plan}) p(ord, name, type, cat, max, day)
          join assessment_categories ac on ac.class_id = c.id and ac.name = p.cat`);
      // An empty assessment per class for the marks-entry figure (its marks are written during the run).
      await q(`
        insert into assessments (id, organization_id, class_id, academic_session_id, name, assessment_type,
                                 max_marks, assessment_date)
        select gen_random_uuid(), c.organization_id, c.id, c.academic_session_id, 'Bench entry', 'quiz', 50,
               date '2026-06-19'
          from classes c`);
    },
  },
  {
    label: 'grades: a mark per enrolled student and assessment',
    run: (q) =>
      withIndexesDropped(q, 'assessment_marks', () =>
        q(`
          insert into assessment_marks (id, organization_id, assessment_id, student_id, class_id, marks, state)
          select gen_random_uuid(), a.organization_id, a.id, e.student_id, a.class_id,
                 case when h % 30 = 0 then null else round(a.max_marks * (40 + h % 61) / 100.0, 1) end,
                 (case when h % 30 = 0 then 'excused' else 'scored' end)::mark_state
            from assessments a join enrollments e on e.class_id = a.class_id and e.status = 'enrolled'
            cross join lateral (select (hashtext(a.id::text || e.student_id::text) & 2147483647) as h) hh
           where a.name <> 'Bench entry'`),
      ),
  },
  {
    label: 'grades: a posted grade per enrollment (fall term)',
    run: (q) =>
      withIndexesDropped(q, 'grades', () =>
        q(`
          insert into grades (id, organization_id, student_id, class_id, enrollment_id, course_id,
                              academic_session_id, grading_scale_id, semester_no, percent, letter, grade_points,
                              is_passing, credits_attempted, credits_earned, status, posted_at)
          select gen_random_uuid(), e.organization_id, e.student_id, e.class_id, e.id, c.course_id,
                 c.academic_session_id, '00000000-0000-7000-8000-00000000a001', 1, p.pct,
                 b.letter, b.points, b.points > 0, co.credits, case when b.points > 0 then co.credits else 0 end,
                 'posted', timestamptz '2025-12-22'
            from enrollments e join classes c on c.id = e.class_id join courses co on co.id = c.course_id
            cross join lateral (select 35 + (hashtext(e.id::text) & 2147483647) % 65 as pct) p
            cross join lateral (select case when p.pct >= 90 then 'O' when p.pct >= 80 then 'A+'
                                            when p.pct >= 70 then 'A' when p.pct >= 60 then 'B+'
                                            when p.pct >= 50 then 'B' when p.pct >= 45 then 'C'
                                            when p.pct >= 40 then 'P' else 'F' end as letter,
                                       case when p.pct >= 90 then 10 when p.pct >= 80 then 9
                                            when p.pct >= 70 then 8 when p.pct >= 60 then 7
                                            when p.pct >= 50 then 6 when p.pct >= 45 then 5
                                            when p.pct >= 40 then 4 else 0 end as points) b
           where e.status = 'enrolled'`),
      ),
  },
];
