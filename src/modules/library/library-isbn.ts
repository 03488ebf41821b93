/**
 * ISBN handling: hyphens and spaces are dropped, a lower-case x becomes X, and the check digit must hold
 * (ISBN-10: weights 10..1, sum ≡ 0 mod 11, X = 10 in the last place; ISBN-13: weights 1,3,…, sum ≡ 0 mod 10).
 */
export function normalizeIsbn(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

/** Why an ISBN is invalid, or null when it is a valid ISBN-10 or ISBN-13 (after normalising). */
export function isbnProblem(raw: string): string | null {
  const s = normalizeIsbn(raw);
  if (s.length === 10) {
    if (!/^\d{9}[\dX]$/.test(s)) return 'an ISBN-10 has 9 digits and a final digit or X';
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (s[i] === 'X' ? 10 : Number(s[i])) * (10 - i);
    return sum % 11 === 0 ? null : 'the ISBN-10 check digit does not match';
  }
  if (s.length === 13) {
    if (!/^\d{13}$/.test(s)) return 'an ISBN-13 has 13 digits';
    if (!s.startsWith('978') && !s.startsWith('979')) return 'an ISBN-13 starts with 978 or 979';
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += Number(s[i]) * (i % 2 === 0 ? 1 : 3);
    return sum % 10 === 0 ? null : 'the ISBN-13 check digit does not match';
  }
  return 'must be an ISBN-10 or ISBN-13 (10 or 13 characters without hyphens)';
}
