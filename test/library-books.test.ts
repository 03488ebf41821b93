import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isbnProblem, normalizeIsbn } from '../src/modules/library/index.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { addBook, isbn13, type LibraryWorld, makeLibraryWorld } from './helpers/library.js';

describe('ISBN checksum', () => {
  it('should accept valid ISBN-10 and ISBN-13 with or without hyphens', () => {
    assert.equal(isbnProblem('0-306-40615-2'), null);
    assert.equal(isbnProblem('978-0-306-40615-7'), null);
    assert.equal(isbnProblem('0-8044-2957-X'), null);
    assert.equal(isbnProblem('0-8044-2957-x'), null);
    assert.equal(normalizeIsbn('978 0-306-40615-7'), '9780306406157');
  });
  it('should reject wrong check digits and shapes', () => {
    assert.match(isbnProblem('0-306-40615-3') ?? '', /ISBN-10 check digit/);
    assert.match(isbnProblem('978-0-306-40615-8') ?? '', /ISBN-13 check digit/);
    assert.match(isbnProblem('123-0-306-40615-7') ?? '', /978 or 979/);
    assert.match(isbnProblem('12345') ?? '', /10 or 13/);
  });
});

describe('library catalogue: books and copies', () => {
  let app: App;
  let w: LibraryWorld;
  let book: { id: string; organization_id: string };
  let otherBook: { id: string };
  before(async () => {
    app = await buildTestApp();
    w = await makeLibraryWorld(app);
    book = await addBook(app, w.staff.token, w.org.id, {
      copies: 2,
      title: 'Concrete Mathematics',
      author: 'Graham, Knuth, Patashnik',
      category: 'mathematics',
    });
    otherBook = await addBook(app, w.otherAdmin.token, w.otherOrg.id, { title: 'Concrete Mathematics' });
  });
  after(() => app.close());

  const base = '/api/v1/library/books';

  it('should document every library endpoint in /openapi.json with a summary', async () => {
    const res = await call(app, 'GET', '/openapi.json');
    expectStatus(res, 200);
    const paths = res.data.paths as Record<string, Record<string, { summary?: string }>>;
    const expected: Array<[string, string]> = [
      ['get', '/library/books'],
      ['post', '/library/books'],
      ['get', '/library/books/search'],
      ['get', '/library/books/{id}'],
      ['put', '/library/books/{id}'],
      ['delete', '/library/books/{id}'],
      ['get', '/library/books/{id}/copies'],
      ['post', '/library/books/{id}/copies'],
      ['put', '/library/copies/{id}'],
      ['post', '/library/issue'],
      ['put', '/library/return'],
      ['post', '/library/renew'],
      ['post', '/library/pay-fine'],
      ['get', '/library/issued'],
      ['get', '/library/overdue'],
      ['get', '/library/fines'],
      ['post', '/library/holds'],
      ['get', '/library/holds'],
      ['delete', '/library/holds/{id}'],
      ['get', '/library/rules'],
      ['put', '/library/rules'],
    ];
    for (const [method, path] of expected) {
      const op = paths[`/api/v1${path}`]?.[method];
      assert.ok(op?.summary, `${method.toUpperCase()} ${path} is documented`);
    }
  });

  it('POST /library/books: creates a book with N copies, normalised ISBN; 400 on a bad checksum; 401; 403; 404', async () => {
    const res = await call(app, 'POST', base, {
      token: w.staff.token,
      body: {
        organization_id: w.org.id,
        isbn: '978-0-306-40615-7',
        title: 'The Art of Computer Programming',
        author: 'Knuth',
        category: 'computer science',
        publisher: 'Addison-Wesley',
        publication_year: 1997,
        copies: 3,
      },
    });
    expectStatus(res, 201);
    assert.equal(res.data.data.isbn, '9780306406157');
    assert.equal(res.data.data.copies_total, 3);
    assert.equal(res.data.data.copies_available, 3);
    const bad = await call(app, 'POST', base, {
      token: w.staff.token,
      body: { organization_id: w.org.id, isbn: '978-0-306-40615-8', title: 'X', author: 'Y' },
    });
    expectError(bad, 400, 'validation_failed');
    assert.match(bad.data.error.message, /check digit/);
    assert.equal(bad.data.error.details[0].field, 'isbn');
    const dup = await call(app, 'POST', base, {
      token: w.staff.token,
      body: { organization_id: w.org.id, isbn: '9780306406157', title: 'X', author: 'Y' },
    });
    expectError(dup, 409);
    expectError(
      await call(app, 'POST', base, { body: { organization_id: w.org.id, title: 'X', author: 'Y' } }),
      401,
    );
    expectError(
      await call(app, 'POST', base, {
        token: w.teacher.token,
        body: { organization_id: w.org.id, title: 'X', author: 'Y' },
      }),
      403,
    );
    expectError(
      await call(app, 'POST', base, {
        token: w.staff.token,
        body: { organization_id: w.otherOrg.id, title: 'X', author: 'Y' },
      }),
      404,
    );
  });

  it('GET /library/books: lists with filters; 400; 401; 403 not applicable to members; out of scope excluded', async () => {
    const res = await call(app, 'GET', base, { token: w.student.token, query: { category: 'mathematics' } });
    expectStatus(res, 200);
    assert.ok(res.data.data.some((b: { id: string }) => b.id === book.id));
    assert.ok(!res.data.data.some((b: { id: string }) => b.id === otherBook.id));
    assert.equal(res.data.meta.page, 1);
    const ref = await call(app, 'GET', base, { token: w.staff.token, query: { is_reference: true } });
    assert.ok(!ref.data.data.some((b: { id: string }) => b.id === book.id));
    expectError(await call(app, 'GET', base, { token: w.staff.token, query: { page_size: 1000 } }), 400);
    expectError(await call(app, 'GET', base), 401);
    // A user with no role anywhere holds no library permission.
    const nobody = await import('./helpers/factories.js').then((f) => f.makeUser(app, w.org, null));
    expectError(await call(app, 'GET', base, { token: nobody.token }), 403);
  });

  it('GET /library/books/search: trigram search by title, author, ISBN with filters, paginated', async () => {
    const byTitle = await call(app, 'GET', `${base}/search`, {
      token: w.student.token,
      query: { q: 'concrete math' },
    });
    expectStatus(byTitle, 200);
    assert.deepEqual(
      byTitle.data.data.map((b: { id: string }) => b.id),
      [book.id],
    );
    const byAuthor = await call(app, 'GET', `${base}/search`, {
      token: w.student.token,
      query: { q: 'patashnik' },
    });
    assert.equal(byAuthor.data.data[0].id, book.id);
    const isbn = isbn13();
    const created = await call(app, 'POST', base, {
      token: w.staff.token,
      body: { organization_id: w.org.id, isbn, title: `Isbn ${uniq()}`, author: 'Z', copies: 0 },
    });
    const hyphenated = `${isbn.slice(0, 3)}-${isbn.slice(3, 8)}-${isbn.slice(8)}`;
    const byIsbn = await call(app, 'GET', `${base}/search`, {
      token: w.staff.token,
      query: { q: hyphenated },
    });
    assert.equal(byIsbn.data.data[0].id, created.data.data.id);
    const avail = await call(app, 'GET', `${base}/search`, {
      token: w.staff.token,
      query: { q: isbn, available_only: true },
    });
    assert.equal(avail.data.data.length, 0);
    const paged = await call(app, 'GET', `${base}/search`, {
      token: w.staff.token,
      query: { q: 'a', page_size: 1 },
    });
    assert.equal(paged.data.data.length, 1);
    assert.ok(paged.data.meta.total >= 2);
    expectError(await call(app, 'GET', `${base}/search`, { token: w.staff.token }), 400);
    expectError(await call(app, 'GET', `${base}/search`, { query: { q: 'x' } }), 401);
    const other = await call(app, 'GET', `${base}/search`, {
      token: w.student.token,
      query: { q: 'concrete' },
    });
    assert.ok(!other.data.data.some((b: { id: string }) => b.id === otherBook.id));
  });

  it('GET /library/books/{id}: 200; 400 bad id; 401; 404 other organization', async () => {
    const res = await call(app, 'GET', `${base}/${book.id}`, { token: w.parent.token });
    expectStatus(res, 200);
    assert.equal(res.data.data.copies_available, 2);
    expectError(await call(app, 'GET', `${base}/not-a-uuid`, { token: w.staff.token }), 400);
    expectError(await call(app, 'GET', `${base}/${book.id}`), 401);
    expectError(await call(app, 'GET', `${base}/${otherBook.id}`, { token: w.staff.token }), 404);
  });

  it('PUT /library/books/{id}: updates; 400; 401; 403; 404', async () => {
    const res = await call(app, 'PUT', `${base}/${book.id}`, {
      token: w.staff.token,
      body: { publisher: 'Addison-Wesley', publication_year: 1994 },
    });
    expectStatus(res, 200);
    assert.equal(res.data.data.publisher, 'Addison-Wesley');
    expectError(
      await call(app, 'PUT', `${base}/${book.id}`, { token: w.staff.token, body: { isbn: '0-306-40615-3' } }),
      400,
    );
    expectError(
      await call(app, 'PUT', `${base}/${book.id}`, { token: w.staff.token, body: { bogus: 1 } }),
      400,
    );
    expectError(await call(app, 'PUT', `${base}/${book.id}`, { body: { publisher: 'x' } }), 401);
    expectError(
      await call(app, 'PUT', `${base}/${book.id}`, { token: w.student.token, body: { publisher: 'x' } }),
      403,
    );
    expectError(
      await call(app, 'PUT', `${base}/${otherBook.id}`, { token: w.staff.token, body: { publisher: 'x' } }),
      404,
    );
  });

  it('GET|POST /library/books/{id}/copies and PUT /library/copies/{id}: barcodes, states', async () => {
    const list = await call(app, 'GET', `${base}/${book.id}/copies`, { token: w.student.token });
    expectStatus(list, 200);
    assert.equal(list.data.data.length, 2);
    const bc = uniq('ACC-');
    const add = await call(app, 'POST', `${base}/${book.id}/copies`, {
      token: w.staff.token,
      body: { barcodes: [bc], shelf_location: 'QA39' },
    });
    expectStatus(add, 201);
    assert.equal(add.data.data[0].state, 'available');
    const dupe = await call(app, 'POST', `${base}/${book.id}/copies`, {
      token: w.staff.token,
      body: { barcodes: [bc] },
    });
    expectError(dupe, 409);
    expectError(
      await call(app, 'POST', `${base}/${book.id}/copies`, { token: w.staff.token, body: {} }),
      400,
    );
    expectError(await call(app, 'POST', `${base}/${book.id}/copies`, { body: { count: 1 } }), 401);
    expectError(
      await call(app, 'POST', `${base}/${book.id}/copies`, { token: w.student.token, body: { count: 1 } }),
      403,
    );
    expectError(
      await call(app, 'POST', `${base}/${otherBook.id}/copies`, { token: w.staff.token, body: { count: 1 } }),
      404,
    );
    expectError(await call(app, 'GET', `${base}/${book.id}/copies`), 401);
    expectError(await call(app, 'GET', `${base}/${otherBook.id}/copies`, { token: w.staff.token }), 404);
    expectError(await call(app, 'GET', `${base}/nope/copies`, { token: w.staff.token }), 400);

    const copyId = add.data.data[0].id;
    const lost = await call(app, 'PUT', `/api/v1/library/copies/${copyId}`, {
      token: w.staff.token,
      body: { state: 'lost' },
    });
    expectStatus(lost, 200);
    assert.equal(lost.data.data.state, 'lost');
    const back = await call(app, 'PUT', `/api/v1/library/copies/${copyId}`, {
      token: w.staff.token,
      body: { state: 'available' },
    });
    assert.equal(back.data.data.state, 'available');
    expectError(
      await call(app, 'PUT', `/api/v1/library/copies/${copyId}`, {
        token: w.staff.token,
        body: { state: 'on_loan' },
      }),
      400,
    );
    expectError(await call(app, 'PUT', `/api/v1/library/copies/${copyId}`, { body: { state: 'lost' } }), 401);
    expectError(
      await call(app, 'PUT', `/api/v1/library/copies/${copyId}`, {
        token: w.teacher.token,
        body: { state: 'lost' },
      }),
      403,
    );
    expectError(
      await call(app, 'PUT', `/api/v1/library/copies/${copyId}`, {
        token: w.otherAdmin.token,
        body: { state: 'lost' },
      }),
      404,
    );
  });

  it('DELETE /library/books/{id}: 204; 409 while on loan; 400; 401; 403; 404', async () => {
    const b = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
    const loan = await call(app, 'POST', '/api/v1/library/issue', {
      token: w.staff.token,
      body: { book_id: b.id, student_id: w.student.id },
    });
    expectStatus(loan, 201);
    expectError(
      await call(app, 'DELETE', `${base}/${b.id}`, { token: w.staff.token }),
      409,
      'book_in_circulation',
    );
    await call(app, 'PUT', '/api/v1/library/return', {
      token: w.staff.token,
      body: { loan_id: loan.data.data.id },
    });
    expectError(await call(app, 'DELETE', `${base}/bad`, { token: w.staff.token }), 400);
    expectError(await call(app, 'DELETE', `${base}/${b.id}`), 401);
    expectError(await call(app, 'DELETE', `${base}/${b.id}`, { token: w.parent.token }), 403);
    expectError(await call(app, 'DELETE', `${base}/${otherBook.id}`, { token: w.staff.token }), 404);
    expectStatus(await call(app, 'DELETE', `${base}/${b.id}`, { token: w.staff.token }), 204);
    expectError(await call(app, 'GET', `${base}/${b.id}`, { token: w.staff.token }), 404);
  });
});
