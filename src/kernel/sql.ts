/** `%term%` for ILIKE with the user's wildcards escaped, so a search for "50%" means the text "50%". */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Formats a Date (or date string from the driver) as an RFC 3339 UTC string; null stays null. */
export function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
