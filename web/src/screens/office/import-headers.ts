/**
 * The header row of a file, read in the browser for the column-mapping editor: CSV and JSON from the
 * first 64 KB; XLSX through a small unzip loaded on demand (`xlsx-headers.ts`, files up to 20 MB). Null:
 * unknown (a larger workbook), and the dry run's ignored columns are mapped instead.
 */
export async function readHeaders(file: File): Promise<string[] | null> {
  const name = file.name.toLowerCase();
  if (name.endsWith('.zip')) return null;
  if (name.endsWith('.xlsx')) {
    const { xlsxHeaders } = await import('./xlsx-headers');
    return xlsxHeaders(file).catch(() => null);
  }
  const text = (await file.slice(0, 65_536).text()).replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (name.endsWith('.json') || start.startsWith('[') || start.startsWith('{')) return jsonKeys(start);
  return csvFirstRecord(text);
}

function jsonKeys(text: string): string[] | null {
  // The first object of an array, or the first JSON line.
  const body = text.startsWith('[') ? text.slice(1).trimStart() : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        const obj = JSON.parse(body.slice(0, i + 1)) as unknown;
        return obj && typeof obj === 'object' && !Array.isArray(obj) ? Object.keys(obj) : null;
      } catch {
        return null;
      }
    }
  }
  return null;
}

function csvFirstRecord(text: string): string[] | null {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (out.length === 0 && cell === '') continue; // leading blank lines
      break;
    } else cell += c;
  }
  out.push(cell);
  const headers = out.map((h) => h.trim()).filter((h) => h.length > 0);
  return headers.length ? headers : null;
}
