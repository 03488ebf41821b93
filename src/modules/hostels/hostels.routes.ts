import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  AvailableRoomsQuery,
  CreateHostel,
  CreateRoom,
  Hostel,
  HostelRoomsQuery,
  ListHostelsQuery,
  ListRoomsQuery,
  Room,
  UpdateHostel,
  UpdateRoom,
} from './hostels.schemas.js';
import * as svc from './hostels.service.js';
import * as rooms from './hostels-rooms.service.js';

const tags = ['hostels'];

/** `/hostels` and `/hostel-rooms`. */
export const hostelsRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.post(
    '/hostels',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: 'Create a hostel',
        body: CreateHostel,
        response: { 201: DataOf(Hostel), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createHostel(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/hostels',
    {
      config: { permission: 'hostels:read' },
      schema: {
        tags,
        summary: 'List hostels (with rooms, beds and occupancy)',
        querystring: ListHostelsQuery,
        response: { 200: PageOf(Hostel), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listHostels(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.get(
    '/hostels/:id',
    {
      config: { permission: 'hostels:read' },
      schema: {
        tags,
        summary: 'Get a hostel',
        params: IdParams,
        response: { 200: DataOf(Hostel), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getHostel(db, contextOf(request), request.params.id) }),
  );

  app.put(
    '/hostels/:id',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: 'Update a hostel (only the fields given)',
        description: 'Setting one kind of warden clears the other.',
        params: IdParams,
        body: UpdateHostel,
        response: { 200: DataOf(Hostel), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await svc.updateHostel(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.get(
    '/hostels/:id/rooms',
    {
      config: { permission: 'hostels:read' },
      schema: {
        tags,
        summary: 'The rooms of a hostel, with occupancy',
        params: IdParams,
        querystring: HostelRoomsQuery,
        response: { 200: PageOf(Room), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      rooms.roomsOfHostel(
        db,
        contextOf(request),
        request.params.id,
        request.query,
        pageWindow(request.query),
      ),
  );

  app.get(
    '/hostel-rooms/available',
    {
      config: { permission: 'hostels:read' },
      schema: {
        tags,
        summary: 'Rooms with free beds that take allocations now',
        description:
          'Available status, active room and hostel, and at least `min_free_beds` (default 1) free beds.',
        querystring: AvailableRoomsQuery,
        response: { 200: PageOf(Room), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => rooms.availableRooms(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.get(
    '/hostel-rooms',
    {
      config: { permission: 'hostels:read' },
      schema: {
        tags,
        summary: 'List rooms',
        querystring: ListRoomsQuery,
        response: { 200: PageOf(Room), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => rooms.listRooms(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.post(
    '/hostel-rooms',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: 'Add a room to a hostel',
        body: CreateRoom,
        response: { 201: DataOf(Room), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await rooms.createRoom(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/hostel-rooms/:id',
    {
      config: { permission: 'hostels:read' },
      schema: {
        tags,
        summary: 'Get a room',
        params: IdParams,
        response: { 200: DataOf(Room), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await rooms.getRoom(db, contextOf(request), request.params.id) }),
  );

  app.put(
    '/hostel-rooms/:id',
    {
      config: { permission: 'hostels:manage' },
      schema: {
        tags,
        summary: 'Update a room (only the fields given)',
        description: 'The capacity never drops below the active allocations (422 capacity_below_occupancy).',
        params: IdParams,
        body: UpdateRoom,
        response: { 200: DataOf(Room), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({
      data: await rooms.updateRoom(db, contextOf(request), request.params.id, request.body),
    }),
  );
};
