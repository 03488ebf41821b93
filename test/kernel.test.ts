import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../src/kernel/errors.js';
import { uuidv7 } from '../src/kernel/ids.js';
import { formatMinor, parseAmount } from '../src/kernel/money.js';
import {
  cursorPage,
  decodeCursor,
  encodeCursor,
  page,
  pageMeta,
  pageWindow,
} from '../src/kernel/pagination.js';
import { deviceLabel } from '../src/modules/auth/auth.service.js';

describe('kernel: ids', () => {
  it('uuidv7: version 7, RFC 9562 variant, time-ordered, unique across entropy-pool refills', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids)
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual([...ids].sort(), ids);
    // Same millisecond: still distinct (random tail), 300 draws cross a 4 KiB pool refill.
    const same = Array.from({ length: 300 }, () => uuidv7(1_700_000_000_000));
    assert.equal(new Set(same).size, same.length);
  });

  it('uuidv7: the ids of one millisecond sort in the order they were made (a counter after the version)', () => {
    const ms = 1_800_000_000_000;
    const ids = Array.from({ length: 2000 }, () => uuidv7(ms));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
    // A new millisecond starts the counter again below 2,048, still after every id of the one before.
    const next = uuidv7(ms + 1);
    assert.ok(next > ids[ids.length - 1]);
    assert.ok(Number.parseInt(next.slice(15, 18), 16) < 0x800);
  });
});

describe('kernel: pagination', () => {
  it('should turn page/page_size into limit/offset with defaults and a cap', () => {
    assert.deepEqual(pageWindow({}), { page: 1, pageSize: 20, limit: 20, offset: 0 });
    assert.deepEqual(pageWindow({ page: 3, page_size: 25 }), {
      page: 3,
      pageSize: 25,
      limit: 25,
      offset: 50,
    });
    assert.equal(pageWindow({ page_size: 1000 }).pageSize, 100);
  });

  it('should build meta for first, middle, last and empty pages', () => {
    assert.deepEqual(pageMeta(45, pageWindow({ page: 1, page_size: 20 })), {
      total: 45,
      page: 1,
      page_size: 20,
      page_count: 3,
      has_next_page: true,
      has_prev_page: false,
    });
    const mid = pageMeta(45, pageWindow({ page: 2, page_size: 20 }));
    assert.equal(mid.has_next_page, true);
    assert.equal(mid.has_prev_page, true);
    assert.equal(pageMeta(45, pageWindow({ page: 3, page_size: 20 })).has_next_page, false);
    const empty = page([], 0, pageWindow({}));
    assert.deepEqual(empty.data, []);
    assert.equal(empty.meta.page_count, 1);
    assert.equal(empty.meta.has_next_page, false);
  });

  it('should round-trip a keyset cursor and trim the look-ahead row', () => {
    const id = uuidv7();
    assert.deepEqual(decodeCursor(encodeCursor('2026-01-02T03:04:05.123456Z', id)), {
      sortKey: '2026-01-02T03:04:05.123456Z',
      id,
    });
    assert.deepEqual(decodeCursor(encodeCursor(42, id)), { sortKey: 42, id });
    assert.equal(decodeCursor(undefined), null);
    const rows = [1, 2, 3, 4].map((n) => ({ n, id: uuidv7(n) }));
    const p = cursorPage(rows, 3, (r) => [r.n, r.id]);
    assert.equal(p.data.length, 3);
    assert.equal(p.meta.has_next_page, true);
    assert.deepEqual(decodeCursor(p.meta.next_cursor ?? undefined), { sortKey: 3, id: rows[2].id });
    const last = cursorPage(rows.slice(0, 2), 3, (r) => [r.n, r.id]);
    assert.equal(last.meta.next_cursor, null);
    assert.equal(last.meta.has_next_page, false);
  });

  it('should reject garbage cursors with a 400 naming the field', () => {
    const garbage = [
      'not base64 at all!!',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('[1]').toString('base64url'),
      Buffer.from('[1,"not-a-uuid"]').toString('base64url'),
      Buffer.from('[{},"0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d"]').toString('base64url'),
      Buffer.from('null').toString('base64url'),
    ];
    for (const c of garbage) {
      assert.throws(
        () => decodeCursor(c),
        (err: unknown) =>
          err instanceof AppError && err.statusCode === 400 && err.details[0]?.field === 'cursor',
        c,
      );
    }
  });
});

describe('kernel: money', () => {
  it('should format minor units as decimal strings per currency exponent', () => {
    assert.equal(formatMinor(125000, 'USD'), '1250.00');
    assert.equal(formatMinor(5, 'USD'), '0.05');
    assert.equal(formatMinor(0, 'EUR'), '0.00');
    assert.equal(formatMinor(-1999, 'USD'), '-19.99');
    assert.equal(formatMinor('900719925474099312', 'USD'), '9007199254740993.12');
    assert.equal(formatMinor(5000, 'JPY'), '5000');
    assert.equal(formatMinor(1234, 'KWD'), '1.234');
  });

  it('should parse decimal strings into minor units and refuse bad ones', () => {
    assert.equal(parseAmount('1250.00', 'USD'), 125000);
    assert.equal(parseAmount('1250.5', 'USD'), 125050);
    assert.equal(parseAmount('1250', 'USD'), 125000);
    assert.equal(parseAmount(' 0.07 ', 'USD'), 7);
    assert.equal(parseAmount('-3.10', 'USD'), -310);
    assert.equal(parseAmount('5000', 'JPY'), 5000);
    assert.equal(parseAmount('1.234', 'KWD'), 1234);
    // 0.1 + 0.2 style float drift cannot happen: parsing is integer arithmetic.
    assert.equal(parseAmount('0.30', 'USD'), parseAmount('0.10', 'USD') + parseAmount('0.20', 'USD'));
    for (const bad of ['1.234', '12,50', 'abc', '', '1e3', '.5', '1.', '99999999999999']) {
      assert.throws(
        () => parseAmount(bad, 'USD', 'amount'),
        (err: unknown) =>
          err instanceof AppError && err.statusCode === 400 && err.details[0]?.field === 'amount',
        bad,
      );
    }
    assert.throws(() => parseAmount('10.5', 'JPY'));
  });

  it('should round-trip format and parse', () => {
    for (const v of [0, 1, 99, 100, 123456789, -42])
      assert.equal(parseAmount(formatMinor(v, 'USD'), 'USD'), v);
  });
});

describe('kernel: ids', () => {
  it('should generate RFC 9562 version-7 UUIDs', () => {
    const id = uuidv7();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('should sort by creation time', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const ids = Array.from({ length: 50 }, (_, i) => uuidv7(t0 + i * 7));
    assert.deepEqual([...ids].sort(), ids);
    assert.ok(uuidv7(t0 + 1) > uuidv7(t0));
    // The timestamp is recoverable from the first 48 bits.
    assert.equal(Number.parseInt(ids[3].replace(/-/g, '').slice(0, 12), 16), t0 + 21);
    assert.equal(new Set(Array.from({ length: 1000 }, () => uuidv7())).size, 1000);
  });
});

describe('auth: device labels', () => {
  it('should summarize common user agents', () => {
    assert.equal(
      deviceLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36'),
      'Chrome on Windows',
    );
    assert.equal(
      deviceLabel('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1'),
      'Safari on iOS',
    );
    assert.equal(deviceLabel('curl/8.4.0'), 'curl');
    assert.equal(deviceLabel(null), null);
  });
});
