// Dataset steps for the attendance and finance tables (kept apart from the core builder in data.ts).
export interface StepCtx {
  N: number;
  DAYS: number;
  CLASSES: number;
}
export type Query = (sql: string, params?: unknown[]) => Promise<unknown>;
export const extraSteps: Array<{ label: string; run: (q: Query, ctx: StepCtx) => Promise<unknown> }> = [];
