import { unzipSync } from 'fflate';

/**
 * The first row of an XLSX file's first worksheet (what the import reads), unzipped in the browser. Loaded
 * on demand (fflate), only for files up to `MAX_BYTES`: a larger workbook is mapped after its dry run.
 */
export const MAX_BYTES = 20 * 1024 * 1024;

const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : '');
const xml = (s: string) => new DOMParser().parseFromString(s, 'application/xml');
/** Elements by local name (the sheet's namespaces and prefixes vary by writer). */
const byName = (d: Document | Element, name: string) => Array.from(d.getElementsByTagNameNS('*', name));

export async function xlsxHeaders(file: File): Promise<string[] | null> {
  if (file.size > MAX_BYTES) return null;
  const zip = unzipSync(new Uint8Array(await file.arrayBuffer()), {
    filter: (f) =>
      f.name === 'xl/workbook.xml' ||
      f.name === 'xl/_rels/workbook.xml.rels' ||
      f.name === 'xl/sharedStrings.xml' ||
      f.name.startsWith('xl/worksheets/'),
  });
  // The first sheet of the workbook, through its relationship (else sheet1.xml).
  const firstSheet = byName(xml(text(zip['xl/workbook.xml'])), 'sheet')[0];
  const rid = firstSheet?.getAttribute('r:id') ?? firstSheet?.getAttributeNS('*', 'id');
  const rel = byName(xml(text(zip['xl/_rels/workbook.xml.rels'])), 'Relationship').find(
    (r) => r.getAttribute('Id') === rid,
  );
  const target = rel?.getAttribute('Target')?.replace(/^\/?(xl\/)?/, 'xl/') ?? 'xl/worksheets/sheet1.xml';
  const sheet = zip[target];
  if (!sheet) return null;
  const shared = byName(xml(text(zip['xl/sharedStrings.xml'])), 'si').map((si) =>
    byName(si, 't')
      .map((t) => t.textContent ?? '')
      .join(''),
  );
  const row = byName(xml(text(sheet)), 'row')[0];
  if (!row) return null;
  const headers = byName(row, 'c').map((c) => {
    const type = c.getAttribute('t');
    if (type === 'inlineStr')
      return byName(c, 't')
        .map((t) => t.textContent ?? '')
        .join('');
    const v = byName(c, 'v')[0]?.textContent ?? '';
    return type === 's' ? (shared[Number(v)] ?? '') : v;
  });
  const out = headers.map((h) => h.trim()).filter((h) => h.length > 0);
  return out.length ? out : null;
}
