import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Attempt,
  bandFor,
  computeGpa,
  courseAverage,
  rankWithTies,
  roundBy,
} from '../src/modules/grades/grades-gpa.js';

const US = {
  rounding_mode: 'half_up' as const,
  rounding_decimals: 0,
  count_failed_in_gpa: true,
  bands: [
    { letter: 'A', min_percent: 93, grade_points: 4, is_passing: true },
    { letter: 'A-', min_percent: 90, grade_points: 3.7, is_passing: true },
    { letter: 'B', min_percent: 83, grade_points: 3, is_passing: true },
    { letter: 'C', min_percent: 73, grade_points: 2, is_passing: true },
    { letter: 'C-', min_percent: 70, grade_points: 1.7, is_passing: true },
    { letter: 'F', min_percent: 0, grade_points: 0, is_passing: false },
  ],
};

const at = (
  over: Partial<Attempt> & Pick<Attempt, 'id' | 'course_key' | 'credits' | 'grade_points'>,
): Attempt => ({
  is_passing: over.grade_points > 0,
  taken_at: '2026-01-01',
  in_gpa: true,
  count_failed_in_gpa: true,
  ...over,
});

describe('grades-gpa: rounding and bands', () => {
  it('rounds by each rule without binary drift', () => {
    assert.equal(roundBy(89.5, 'half_up', 0), 90);
    assert.equal(roundBy(89.49, 'half_up', 0), 89);
    assert.equal(roundBy(2.675, 'half_up', 2), 2.68);
    assert.equal(roundBy(2.5, 'half_even', 0), 2);
    assert.equal(roundBy(3.5, 'half_even', 0), 4);
    assert.equal(roundBy(89.99, 'floor', 0), 89);
    assert.equal(roundBy(89.01, 'ceil', 0), 90);
  });

  it('finds the band after rounding: 89.5 is an A- under half_up to whole percent, 89.4 a B', () => {
    assert.equal(bandFor(89.5, US).band.letter, 'A-');
    assert.equal(bandFor(89.4, US).band.letter, 'B');
    assert.equal(bandFor(12, US).band.letter, 'F');
    assert.equal(bandFor(100, US).band.grade_points, 4);
  });
});

describe('grades-gpa: running course percentage', () => {
  const cats = [
    { id: 'hw', weight: 30 },
    { id: 'qz', weight: 30 },
    { id: 'ts', weight: 40 },
  ];
  const as = [
    { id: 'hw1', max_marks: 10, weight: null, category_id: 'hw' },
    { id: 'hw2', max_marks: 10, weight: null, category_id: 'hw' },
    { id: 'q1', max_marks: 20, weight: null, category_id: 'qz' },
    { id: 'q2', max_marks: 20, weight: null, category_id: 'qz' },
    { id: 't1', max_marks: 100, weight: null, category_id: 'ts' },
  ];
  const marks = [
    { assessment_id: 'hw1', state: 'scored' as const, marks: 8 },
    { assessment_id: 'hw2', state: 'excused' as const, marks: null },
    { assessment_id: 'q1', state: 'missing' as const, marks: null },
    { assessment_id: 'q2', state: 'scored' as const, marks: 15 },
    { assessment_id: 't1', state: 'scored' as const, marks: 90 },
  ];

  it('weights categories; the excused mark drops out, the missing one counts as zero', () => {
    // Homework 8/10 = 80 (hw2 excused), Quizzes 15/40 = 37.5 (q1 missing = 0), Tests 90/100 = 90.
    // (30·80 + 30·37.5 + 40·90) / 100 = 71.25 → 71 → C- (1.7)
    const r = courseAverage(as, cats, marks);
    assert.equal(r.percent, 71.25);
    assert.equal(r.excused, 1);
    assert.equal(r.counted, 4);
    assert.equal(bandFor(r.percent!, US).band.letter, 'C-');
    // Counting the excused homework as zero instead would give Homework 40 and 59.25 (an F): it must not.
    const asZero = courseAverage(
      as,
      cats,
      marks.map((m) => (m.state === 'excused' ? { ...m, state: 'missing' as const } : m)),
    );
    assert.equal(asZero.percent, 59.25);
  });

  it('renormalizes over categories that have marks yet', () => {
    // Only Homework (80) and Tests (90): (30·80 + 40·90) / 70 = 85.714…
    const r = courseAverage(
      as,
      cats,
      marks.filter((m) => m.assessment_id.startsWith('hw') || m.assessment_id === 't1'),
    );
    assert.equal(roundBy(r.percent!, 'half_up', 3), 85.714);
  });

  it('without categories uses total points, or assessment weights when every one has a weight', () => {
    // (8 + 0 + 15 + 90) / (10 + 20 + 20 + 100) = 113/150 = 75.333…
    const r = courseAverage(
      as.map((a) => ({ ...a, category_id: null })),
      [],
      marks,
    );
    assert.equal(roundBy(r.percent!, 'half_up', 3), 75.333);
    // Weights 1,1,1,1,6 over the counted ones (hw2 excused): (80 + 0 + 75 + 6·90) / 9 = 695/9 = 77.222…
    const weighted = as.map((a) => ({ ...a, category_id: null, weight: a.id === 't1' ? 6 : 1 }));
    assert.equal(roundBy(courseAverage(weighted, [], marks).percent!, 'half_up', 3), 77.222);
    assert.equal(courseAverage(as, [], []).percent, null);
  });

  it('while no category has a mark, grades by points over the uncategorized assessments', () => {
    // Categories exist but every counted assessment is uncategorized: 8 + 15 / (10 + 20) = 76.666…
    const loose = as.map((a) => ({ ...a, category_id: null }));
    const r = courseAverage(
      loose,
      cats,
      marks.filter((m) => m.assessment_id === 'hw1' || m.assessment_id === 'q2'),
    );
    assert.equal(roundBy(r.percent!, 'half_up', 3), 76.667);
  });
});

describe('grades-gpa: SGPA/CGPA', () => {
  const math1 = at({ id: 'm1', course_key: 'MATH', credits: 4, grade_points: 0, taken_at: '2025-06-01' });
  const math2 = at({ id: 'm2', course_key: 'MATH', credits: 4, grade_points: 7, taken_at: '2025-12-01' });
  const math3 = at({ id: 'm3', course_key: 'MATH', credits: 4, grade_points: 5, taken_at: '2026-06-01' });
  const phys = at({ id: 'p', course_key: 'PHYS', credits: 3, grade_points: 8 });

  it('a repeated course counts its best attempt under "best": (4·7 + 3·8) / 7 = 7.43', () => {
    const r = computeGpa([math1, math2, math3, phys], 'best');
    assert.equal(r.gpa, 7.43);
    assert.equal(r.credits_attempted, 7);
    assert.equal(r.credits_earned, 7);
    assert.equal(r.quality_points, 52);
    assert.deepEqual(r.superseded.sort(), ['m1', 'm3']);
  });

  it('and its latest attempt under "latest": (4·5 + 3·8) / 7 = 6.29', () => {
    const r = computeGpa([math3, math1, math2, phys], 'latest');
    assert.equal(r.gpa, 6.29);
    assert.equal(r.quality_points, 44);
    assert.deepEqual(r.counted.sort(), ['m3', 'p']);
  });

  it('a failed course counts zero points over its credits, or stays out when the scale says so', () => {
    const chem = at({ id: 'c', course_key: 'CHEM', credits: 4, grade_points: 0, is_passing: false });
    // 3·8 / (3 + 4) = 3.43; 4 credits attempted but not earned.
    const counted = computeGpa([chem, phys], 'best');
    assert.equal(counted.gpa, 3.43);
    assert.equal(counted.credits_attempted, 7);
    assert.equal(counted.credits_earned, 3);
    const left = computeGpa([{ ...chem, count_failed_in_gpa: false }, phys], 'best');
    assert.equal(left.gpa, 8);
    assert.equal(left.gpa_credits, 3);
    assert.equal(left.credits_attempted, 7);
  });

  it('a transfer grade counts toward the CGPA only where marked', () => {
    const tr = at({ id: 't', course_key: 'transfer:1', credits: 3, grade_points: 9 });
    assert.equal(computeGpa([tr, phys], 'best').gpa, 8.5); // (27 + 24) / 6
    const notInGpa = computeGpa([{ ...tr, in_gpa: false }, phys], 'best');
    assert.equal(notInGpa.gpa, 8);
    assert.equal(notInGpa.credits_earned, 6);
  });

  it('an excused mark feeds through to the GPA: 71.25 % → C- (1.7) over 3 credits with an A (4) over 3 = 2.85', () => {
    const r = computeGpa(
      [
        at({ id: 'x', course_key: 'X', credits: 3, grade_points: bandFor(71.25, US).band.grade_points }),
        at({ id: 'y', course_key: 'Y', credits: 3, grade_points: 4 }),
      ],
      'best',
    );
    assert.equal(r.gpa, 2.85);
  });

  it('no credits → null GPA', () => {
    assert.equal(computeGpa([], 'best').gpa, null);
  });

  it('ranks with ties (1, 3, 1, 4)', () => {
    const r = rankWithTies([90, 85, 90, 70, null], (v) => v);
    assert.deepEqual(
      r.map((x) => x.rank),
      [1, 3, 1, 4, null],
    );
  });
});
