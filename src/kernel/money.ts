import { badRequest } from './errors.js';

/** Minor-unit exponent per ISO 4217 currency (2 unless listed). */
const EXPONENT: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  UGX: 0,
  KWD: 3,
  BHD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

export function currencyExponent(currency: string): number {
  return EXPONENT[currency] ?? 2;
}

/** 125000 minor units of USD → "1250.00". Money is never a float. */
export function formatMinor(minor: number | bigint | string, currency: string): string {
  const exp = currencyExponent(currency);
  let v = BigInt(minor);
  const neg = v < 0n;
  if (neg) v = -v;
  const s = v.toString().padStart(exp + 1, '0');
  const out = exp === 0 ? s : `${s.slice(0, s.length - exp)}.${s.slice(s.length - exp)}`;
  return neg ? `-${out}` : out;
}

/** "1250.5" / "1250.50" → 125050 minor units; rejects more decimals than the currency has. */
export function parseAmount(amount: string, currency: string, field = 'amount'): number {
  const exp = currencyExponent(currency);
  const m = /^(-)?(\d{1,13})(?:\.(\d+))?$/.exec(amount.trim());
  if (!m || (m[3] && m[3].length > exp)) {
    throw badRequest('Invalid amount', [
      { field, message: `must be a decimal string with at most ${exp} decimals, e.g. "1250.00"` },
    ]);
  }
  const frac = (m[3] ?? '').padEnd(exp, '0');
  const v = Number(BigInt(m[2]) * 10n ** BigInt(exp) + BigInt(frac || '0'));
  return m[1] ? -v : v;
}

/** JSON schema pattern for money amounts in requests: positive decimal strings. */
export const AMOUNT_PATTERN = '^[0-9]{1,13}(\\.[0-9]{1,3})?$';
