import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  Allocation,
  CreateAllocation,
  CreateHostelFee,
  HostelFee,
  HostelSettings,
  ListAllocationsQuery,
  ListFeesQuery,
  OrgParams,
  PutHostelSettings,
  StudentParams,
  TransferAllocation,
  VacateQuery,
} from './hostels-allocations.schemas.js';
import * as svc from './hostels-allocations.service.js';
import * as fees from './hostels-fees.service.js';

const tags = ['hostels'];

/** `/hostel-allocations`, `/hostel-fees` and `/hostel-settings`. */
export const hostelAllocationsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/hostel-allocations',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: 'Allocate a bed to a student',
        description:
          'Never over capacity: the room row is locked while its beds are counted. One active allocation per ' +
          'student (409 already_allocated). With an academic year and a hostel fee for it, the fee (pro-rated ' +
          'when the organization says so) is charged to the student ledger in the same transaction.',
        body: CreateAllocation,
        response: { 201: DataOf(Allocation), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.allocate(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/hostel-allocations',
    {
      config: { permission: 'hostel_allocations:read' },
      schema: {
        tags,
        summary: 'List allocations (students and parents: their own)',
        querystring: ListAllocationsQuery,
        response: { 200: PageOf(Allocation), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listAllocations(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.get(
    '/hostel-allocations/history/:student_id',
    {
      config: { permission: 'hostel_allocations:read' },
      schema: {
        tags,
        summary: "A student's whole hostel history, oldest first",
        params: StudentParams,
        response: { 200: DataOf(Type.Array(Allocation)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.history(db, contextOf(request), request.params.student_id) }),
  );

  app.put(
    '/hostel-allocations/:id',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: 'Transfer to another room',
        description:
          'The allocation becomes transferred (ended on the transfer date) and a new active allocation starts ' +
          'in the target room, capacity checked, in one transaction. Returns the new allocation.',
        params: IdParams,
        body: TransferAllocation,
        response: { 200: DataOf(Allocation), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({
      data: await svc.transfer(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/hostel-allocations/:id',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: 'Vacate the room (the allocation is kept as vacated)',
        params: IdParams,
        querystring: VacateQuery,
        response: { 200: DataOf(Allocation), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => ({ data: await svc.vacate(db, contextOf(request), request.params.id, request.query) }),
  );

  app.post(
    '/hostel-fees',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: 'Set the hostel fee of an academic year (whole hostel or one room type)',
        body: CreateHostelFee,
        response: { 201: DataOf(HostelFee), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await fees.createFee(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/hostel-fees',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: 'List hostel fees',
        querystring: ListFeesQuery,
        response: { 200: PageOf(HostelFee), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => fees.listFees(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.delete(
    '/hostel-fees/:id',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: 'Remove a hostel fee (charges already posted stay)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await fees.deleteFee(db, contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/hostel-settings/:organization_id',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: "An organization's hostel rules (inherited from the nearest ancestor with settings)",
        params: OrgParams,
        response: { 200: DataOf(HostelSettings), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await fees.getSettings(db, contextOf(request), request.params.organization_id),
    }),
  );

  app.put(
    '/hostel-settings/:organization_id',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: "Set an organization's hostel rules (pro-rating, due days)",
        params: OrgParams,
        body: PutHostelSettings,
        response: { 200: DataOf(HostelSettings), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      data: await fees.putSettings(db, contextOf(request), request.params.organization_id, request.body),
    }),
  );
};
