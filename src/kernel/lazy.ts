/**
 * A module loaded on first use instead of at start: exceljs, pdfkit, archiver and file-type together cost
 * every process (server start, each test process) most of a second of CPU, for features a request seldom
 * needs. `lazy(() => import('pdfkit'))` returns a function that imports once and then answers at once.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((err) => {
      loading = undefined; // a failed import may be retried
      throw err;
    });
    return loading;
  };
}

/** pdfkit's PDFDocument (receipts, report cards, transcripts). */
export const loadPdfKit = lazy(() => import('pdfkit').then((m) => m.default));
/** archiver (zip downloads). */
export const loadArchiver = lazy(() => import('archiver'));
/** file-type (upload content sniffing). */
export const loadFileType = lazy(() => import('file-type'));
/** exceljs (XLSX exports and imports). */
export const loadExcel = lazy(() => import('exceljs').then((m) => m.default));
