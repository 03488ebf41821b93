import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import {
  AddCopies,
  Book,
  BookCopyParams,
  Copy,
  CreateBook,
  ListBooksQuery,
  SearchBooksQuery,
  UpdateBook,
  UpdateCopy,
} from './library-books.schemas.js';
import * as svc from './library-books.service.js';
import * as copies from './library-copies.service.js';

const tags = ['library'];

/** The catalogue: books and their copies. */
export const libraryBooksRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;

  app.get(
    '/library/books',
    {
      config: { permission: 'library:read' },
      schema: {
        tags,
        summary: 'List books of your organizations (by title), with filters',
        querystring: ListBooksQuery,
        response: { 200: PageOf(Book), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listBooks(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.get(
    '/library/books/search',
    {
      config: { permission: 'library:read' },
      schema: {
        tags,
        summary: 'Search books by title, author or ISBN (trigram index, best matches first)',
        querystring: SearchBooksQuery,
        response: { 200: PageOf(Book), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.searchBooks(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.post(
    '/library/books',
    {
      config: { permission: 'library:manage' },
      schema: {
        tags,
        summary: 'Add a book (ISBN checksum-validated) and optionally its copies',
        body: CreateBook,
        response: { 201: DataOf(Book), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await svc.createBook(db, contextOf(request), request.body) };
    },
  );

  app.get(
    '/library/books/:id',
    {
      config: { permission: 'library:read' },
      schema: {
        tags,
        summary: 'Get one book with its copy counts',
        params: IdParams,
        response: { 200: DataOf(Book), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getBook(db, contextOf(request), request.params.id) }),
  );

  app.put(
    '/library/books/:id',
    {
      config: { permission: 'library:manage' },
      schema: {
        tags,
        summary: 'Update a book (only the fields given)',
        params: IdParams,
        body: UpdateBook,
        response: { 200: DataOf(Book), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({
      data: await svc.updateBook(db, contextOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/library/books/:id',
    {
      config: { permission: 'library:manage' },
      schema: {
        tags,
        summary: 'Delete a book (soft; refused while a copy is on loan or on hold)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await svc.deleteBook(db, contextOf(request), request.params.id);
      reply.status(204).send(null);
    },
  );

  app.get(
    '/library/books/:id/copies',
    {
      config: { permission: 'library:read' },
      schema: {
        tags,
        summary: 'Copies of a book with their barcodes and states',
        params: BookCopyParams,
        response: { 200: DataOf(Type.Array(Copy)), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await copies.listCopies(db, contextOf(request), request.params.id) }),
  );

  app.post(
    '/library/books/:id/copies',
    {
      config: { permission: 'library:manage' },
      schema: {
        tags,
        summary: 'Add copies to a book (a waiting hold gets the first new copy)',
        params: BookCopyParams,
        body: AddCopies,
        response: { 201: DataOf(Type.Array(Copy)), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { data: await copies.addCopies(db, contextOf(request), request.params.id, request.body) };
    },
  );

  app.put(
    '/library/copies/:id',
    {
      config: { permission: 'library:manage' },
      schema: {
        tags,
        summary: 'Mark a copy lost or withdrawn (or back on the shelf); change its barcode or shelf',
        params: IdParams,
        body: UpdateCopy,
        response: { 200: DataOf(Copy), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      data: await copies.updateCopy(db, contextOf(request), request.params.id, request.body),
    }),
  );
};
