import { type ComponentType, lazy, Suspense } from 'react';
import { Loading } from '../../ui';

/**
 * The office setup screens, each loaded on first use (React.lazy) so the first load stays small: fees
 * setup, dues, reports, compliance, district drill-down, exams and grading scales.
 */
function lazily<P extends object>(load: () => Promise<ComponentType<P>>) {
  const C = lazy(async () => ({ default: await load() }));
  return (props: P) => (
    <Suspense fallback={<Loading />}>
      <C {...props} />
    </Suspense>
  );
}

export const FeeStructures = lazily(async () => (await import('./FeeStructures')).FeeStructures);
export const Concessions = lazily(async () => (await import('./Concessions')).Concessions);
export const Dues = lazily(async () => (await import('./Dues')).Dues);
export const Reports = lazily(async () => (await import('./Reports')).Reports);
export const Compliance = lazily(async () => (await import('./Compliance')).Compliance);
export const District = lazily<{ id: string }>(async () => (await import('./District')).District);
export const Exams = lazily(async () => (await import('./Exams')).Exams);
export const GradingScales = lazily(async () => (await import('./GradingScales')).GradingScales);
