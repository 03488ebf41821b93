import { crudRoutes } from '../../kernel/crud.js';
import type { RoutePlugin } from '../../kernel/module.js';
import * as svc from './exams.service.js';

/**
 * Seed 004 exam schedules (`/exams`, `/exams/{id}`) and exam venues. The gradebook's seed-002 aliases
 * `/exams/marks`, `/exams/{id}/marks` and `/exams/teacher/{id}` stay with the grades module.
 */
export const examsRoutes: RoutePlugin = async (app) => {
  crudRoutes(app, svc.scheduleSpec, svc.schedulesSvc);
  crudRoutes(app, svc.venueSpec, svc.venuesSvc);
};
