import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  AttendanceSettings,
  ClassSummaryQuery,
  DefaultersQuery,
  OrgParams,
  PutSettings,
  ReportRow,
  ReportsQuery,
  StudentStats,
  Summary,
  SummaryQuery,
  Unlock,
} from './attendance.schemas.js';
import * as analytics from './attendance-analytics.service.js';
import * as settings from './attendance-settings.service.js';

const tags = ['attendance'];

export const attendanceAnalyticsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/attendance/summary',
    {
      config: { permission: 'attendance:read' },
      schema: {
        tags,
        summary: 'Counts and percentage for one student (with per-class breakdown) or one class',
        querystring: SummaryQuery,
        response: { 200: DataOf(Summary), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await analytics.summary(db, contextOf(request), request.query) }),
  );

  app.get(
    '/attendance/reports',
    {
      config: { permission: 'attendance:take' },
      schema: {
        tags,
        summary: 'Attendance aggregated by class, department or day',
        querystring: ReportsQuery,
        response: { 200: PageOf(ReportRow), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return analytics.reports(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/attendance/defaulters',
    {
      config: { permission: 'attendance:take' },
      schema: {
        tags,
        summary: 'Students under an attendance threshold in a class, lowest first',
        querystring: DefaultersQuery,
        response: { 200: PageOf(StudentStats), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return analytics.defaulters(db, contextOf(request), q, pageWindow(q));
    },
  );

  app.get(
    '/classes/:id/attendance-summary',
    {
      config: { permission: 'attendance:take' },
      schema: {
        tags,
        summary: 'Per-student attendance percentages of a class (seed 001 class stats)',
        params: IdParams,
        querystring: ClassSummaryQuery,
        response: { 200: DataOf(Type.Array(StudentStats)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await analytics.classSummary(db, contextOf(request), request.params.id, request.query),
    }),
  );

  const settingsTags = ['attendance'];
  app.get(
    '/attendance/settings/:organization_id',
    {
      config: { permission: 'attendance:manage' },
      schema: {
        tags: settingsTags,
        summary: "An organization's attendance freeze date, unlock window and alert threshold",
        params: OrgParams,
        response: { 200: DataOf(AttendanceSettings), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await settings.getSettings(db, contextOf(request), request.params.organization_id),
    }),
  );

  app.put(
    '/attendance/settings/:organization_id',
    {
      config: { permission: 'attendance:manage' },
      schema: {
        tags: settingsTags,
        summary: 'Set the freeze date (records before it are locked) and the alert threshold',
        params: OrgParams,
        body: PutSettings,
        response: { 200: DataOf(AttendanceSettings), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await settings.putSettings(db, contextOf(request), request.params.organization_id, request.body),
    }),
  );

  app.post(
    '/attendance/settings/:organization_id/unlock',
    {
      config: { permission: 'attendance:manage' },
      schema: {
        tags: settingsTags,
        summary: 'Temporarily allow changes to frozen records (audited)',
        params: OrgParams,
        body: Unlock,
        response: { 200: DataOf(AttendanceSettings), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await settings.unlock(
        db,
        contextOf(request),
        request.params.organization_id,
        request.body.minutes,
      ),
    }),
  );

  app.post(
    '/attendance/settings/:organization_id/lock',
    {
      config: { permission: 'attendance:manage' },
      schema: {
        tags: settingsTags,
        summary: 'End an unlock early',
        params: OrgParams,
        response: { 200: DataOf(AttendanceSettings), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await settings.lock(db, contextOf(request), request.params.organization_id),
    }),
  );
};
