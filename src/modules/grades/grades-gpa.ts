/**
 * The grading math, as pure functions (no database, no I/O): rounding, letter lookup, the running course
 * percentage from weighted categories, and credit-weighted GPA with repeat rules. Unit-tested against
 * hand-computed examples in test/grades-gpa.test.ts.
 */

export type RoundingMode = 'half_up' | 'half_even' | 'floor' | 'ceil';

export interface Band {
  letter: string;
  min_percent: number;
  grade_points: number;
  is_passing: boolean;
}

export interface Scale {
  bands: Band[];
  rounding_mode: RoundingMode;
  rounding_decimals: number;
  count_failed_in_gpa: boolean;
}

/** Rounds `value` to `decimals` places by `mode`, computed on scaled integers to avoid binary drift. */
export function roundBy(value: number, mode: RoundingMode, decimals: number): number {
  const f = 10 ** decimals;
  // 1e-9 absorbs representation error (2.675 is 2.67499… in binary) before the rule is applied.
  const x = value * f;
  const eps = 1e-9 * Math.max(1, Math.abs(x));
  let r: number;
  switch (mode) {
    case 'floor':
      r = Math.floor(x + eps);
      break;
    case 'ceil':
      r = Math.ceil(x - eps);
      break;
    case 'half_even': {
      const fl = Math.floor(x + eps);
      const diff = x - fl;
      if (Math.abs(diff - 0.5) <= eps) r = fl % 2 === 0 ? fl : fl + 1;
      else r = Math.round(x);
      break;
    }
    default:
      r = Math.sign(x) * Math.floor(Math.abs(x) + 0.5 + eps);
  }
  return r / f;
}

/** The band a percentage falls in, after the scale's rounding (89.5 → 90 under half_up to 0 places). */
export function bandFor(
  percent: number,
  scale: Pick<Scale, 'bands' | 'rounding_mode' | 'rounding_decimals'>,
) {
  const p = roundBy(percent, scale.rounding_mode, scale.rounding_decimals);
  const sorted = [...scale.bands].sort((a, b) => b.min_percent - a.min_percent);
  const band = sorted.find((b) => p >= b.min_percent) ?? sorted[sorted.length - 1];
  return { rounded: p, band };
}

/** A mark's state: scored counts its marks, missing and absent count as zero, excused drops out. */
export type MarkState = 'scored' | 'missing' | 'excused' | 'absent';

export interface GradebookAssessment {
  id: string;
  max_marks: number;
  weight: number | null;
  category_id: string | null;
}
export interface GradebookCategory {
  id: string;
  weight: number;
}
export interface GradebookMark {
  assessment_id: string;
  state: MarkState;
  marks: number | null;
}

export interface CourseAverage {
  /** Unrounded percentage, or null when nothing counts yet. */
  percent: number | null;
  /** Marks counted (scored + missing + absent) and excused. */
  counted: number;
  excused: number;
  /** Per category: its percentage (null when it has no counted mark) and weight. */
  categories: Array<{ id: string | null; percent: number | null; weight: number }>;
}

/**
 * The running course percentage of one student.
 * - Only assessments with a mark row count; `excused` drops the assessment out; `missing` and `absent` count
 *   as zero marks.
 * - Without categories: Σ(weight × assessment %) / Σ weight when every counted assessment has a weight,
 *   else total points Σ marks / Σ max marks.
 * - With categories: each category is Σ marks / Σ max marks over its counted assessments; the course % is the
 *   weighted mean of the categories that have counted marks (weights renormalized over them).
 *   Uncategorized assessments then join the mix each with its own weight (none = left out). While no
 *   category has a counted mark, the rule without categories applies to all counted assessments.
 */
export function courseAverage(
  assessments: GradebookAssessment[],
  categories: GradebookCategory[],
  marks: GradebookMark[],
): CourseAverage {
  const byId = new Map(assessments.map((a) => [a.id, a]));
  const counted: Array<{ a: GradebookAssessment; earned: number }> = [];
  let excused = 0;
  for (const m of marks) {
    const a = byId.get(m.assessment_id);
    if (!a) continue;
    if (m.state === 'excused') {
      excused++;
      continue;
    }
    counted.push({ a, earned: m.state === 'scored' ? (m.marks ?? 0) : 0 });
  }
  // No category has a counted mark yet (or none is defined): grade by the assessments themselves.
  const categorized = new Set(categories.map((c) => c.id));
  if (
    categories.length === 0 ||
    !counted.some((x) => x.a.category_id !== null && categorized.has(x.a.category_id))
  ) {
    const cats = [{ id: null, percent: null as number | null, weight: 100 }];
    if (counted.length === 0) return { percent: null, counted: 0, excused, categories: cats };
    const weighted = counted.every((c) => c.a.weight !== null && c.a.weight > 0);
    let percent: number;
    if (weighted) {
      const w = counted.reduce((s, c) => s + (c.a.weight ?? 0), 0);
      percent = counted.reduce((s, c) => s + (c.a.weight ?? 0) * (c.earned / c.a.max_marks) * 100, 0) / w;
    } else {
      const max = counted.reduce((s, c) => s + c.a.max_marks, 0);
      percent = (counted.reduce((s, c) => s + c.earned, 0) / max) * 100;
    }
    cats[0].percent = percent;
    return { percent, counted: counted.length, excused, categories: cats };
  }
  const known = new Set(categories.map((c) => c.id));
  const parts: Array<{ id: string | null; percent: number | null; weight: number }> = categories.map((c) => {
    const inCat = counted.filter((x) => x.a.category_id === c.id);
    const max = inCat.reduce((s, x) => s + x.a.max_marks, 0);
    return {
      id: c.id,
      weight: c.weight,
      percent: max > 0 ? (inCat.reduce((s, x) => s + x.earned, 0) / max) * 100 : null,
    };
  });
  for (const x of counted) {
    if (x.a.category_id !== null && known.has(x.a.category_id)) continue;
    parts.push({ id: null, weight: x.a.weight ?? 0, percent: (x.earned / x.a.max_marks) * 100 });
  }
  const live = parts.filter((p) => p.percent !== null && p.weight > 0);
  const w = live.reduce((s, p) => s + p.weight, 0);
  const percent = w > 0 ? live.reduce((s, p) => s + p.weight * (p.percent ?? 0), 0) / w : null;
  return { percent, counted: counted.length, excused, categories: parts };
}

/** One attempt of a course (or a transfer credit) that may count toward a GPA. */
export interface Attempt {
  id: string;
  /** Attempts with the same key are the same course (repeat/improvement/supplementary rules apply). */
  course_key: string;
  credits: number;
  grade_points: number;
  is_passing: boolean;
  /** Ordering of attempts of one course: later attempts compare greater (ISO date or timestamp). */
  taken_at: string;
  /** False: the attempt's credits may be earned but it stays out of the GPA (transfer credit not in GPA). */
  in_gpa: boolean;
  /** The scale says failed attempts count in the GPA (zero points) — false leaves them out. */
  count_failed_in_gpa: boolean;
}

export type RepeatPolicy = 'best' | 'latest';

export interface GpaResult {
  /** Rounded half-up to 2 places; null when no credit counts. */
  gpa: number | null;
  /** Credits of the attempts that count (after the repeat rule). */
  credits_attempted: number;
  /** Credits of counting attempts that passed. */
  credits_earned: number;
  /** Credits in the GPA's denominator. */
  gpa_credits: number;
  quality_points: number;
  /** Attempt ids that count, and those replaced by another attempt of the same course. */
  counted: string[];
  superseded: string[];
}

/** Of several attempts of one course, the one that counts under the policy (ties: the later one). */
export function chooseAttempt(attempts: Attempt[], policy: RepeatPolicy): Attempt {
  const byTime = [...attempts].sort((a, b) =>
    a.taken_at < b.taken_at ? -1 : a.taken_at > b.taken_at ? 1 : 0,
  );
  if (policy === 'latest') return byTime[byTime.length - 1];
  return byTime.reduce((best, a) => (a.grade_points >= best.grade_points ? a : best));
}

/**
 * Credit-weighted GPA: Σ(credits × grade points) / Σ credits over the attempts that count. Repeated courses
 * (same course_key) count once: the best or the latest attempt by the organization's policy. A failed
 * attempt counts with zero points unless its scale leaves failures out of the GPA; it never earns credits.
 */
export function computeGpa(attempts: Attempt[], policy: RepeatPolicy): GpaResult {
  const groups = new Map<string, Attempt[]>();
  for (const a of attempts) groups.set(a.course_key, [...(groups.get(a.course_key) ?? []), a]);
  let attempted = 0;
  let earned = 0;
  let gpaCredits = 0;
  let qp = 0;
  const counted: string[] = [];
  const superseded: string[] = [];
  for (const list of groups.values()) {
    const pick = chooseAttempt(list, policy);
    for (const a of list) if (a !== pick) superseded.push(a.id);
    counted.push(pick.id);
    attempted += pick.credits;
    if (pick.is_passing) earned += pick.credits;
    if (!pick.in_gpa) continue;
    if (!pick.is_passing && !pick.count_failed_in_gpa) continue;
    gpaCredits += pick.credits;
    qp += pick.credits * pick.grade_points;
  }
  return {
    gpa: gpaCredits > 0 ? roundBy(qp / gpaCredits, 'half_up', 2) : null,
    credits_attempted: roundBy(attempted, 'half_up', 1),
    credits_earned: roundBy(earned, 'half_up', 1),
    gpa_credits: roundBy(gpaCredits, 'half_up', 1),
    quality_points: roundBy(qp, 'half_up', 2),
    counted,
    superseded,
  };
}

/** Competition ranking with ties ("1224"): equal values share a rank, the next rank skips. */
export function rankWithTies<T>(
  items: T[],
  value: (t: T) => number | null,
): Array<{ item: T; rank: number | null }> {
  const scored = items.filter((i) => value(i) !== null).sort((a, b) => (value(b) ?? 0) - (value(a) ?? 0));
  const rank = new Map<T, number>();
  scored.forEach((it, i) => {
    const prev = scored[i - 1];
    rank.set(it, prev !== undefined && value(prev) === value(it) ? (rank.get(prev) ?? i + 1) : i + 1);
  });
  return items.map((item) => ({ item, rank: rank.get(item) ?? null }));
}
