import { loadPdfKit } from '../../kernel/lazy.js';

interface Line {
  title: string;
  credits: number;
  letter: string;
  grade_points: number;
  attempt_type: string;
  counted: boolean;
}
interface Head {
  institution: string;
  student: { name: string; student_number: string; program: string | null };
}

const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(2));

async function open(title: string, author: string) {
  const PDFDocument = await loadPdfKit();
  // Uncompressed content streams keep the text extractable by tools (pdftotext) and tests.
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: false,
    info: { Title: title, Author: author },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  return { doc, done };
}

function header(doc: PDFKit.PDFDocument, h: Head, title: string) {
  doc.fontSize(18).text(h.institution, { align: 'center' });
  doc.moveDown(0.3).fontSize(13).text(title, { align: 'center' });
  doc.moveDown(1).fontSize(10);
  doc.text(`Student: ${h.student.name}`);
  doc.text(`Student No: ${h.student.student_number}`);
  if (h.student.program) doc.text(`Program: ${h.student.program}`);
  doc.moveDown(0.8);
}

function table(doc: PDFKit.PDFDocument, lines: Line[]) {
  const x = doc.page.margins.left;
  const cols = [x, x + 270, x + 330, x + 390, x + 450];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    for (const [i, c] of cells.entries())
      doc.text(c, cols[i], y, { width: i === 0 ? 260 : 60, lineBreak: i === 0 });
    doc.x = x;
    doc.moveDown(0.4);
  };
  row(['Course', 'Credits', 'Grade', 'Points', 'Note'], true);
  for (const l of lines) {
    row([
      l.title,
      l.credits.toFixed(1),
      l.letter,
      l.grade_points.toFixed(2),
      l.counted ? (l.attempt_type === 'regular' ? '' : l.attempt_type) : 'replaced',
    ]);
  }
  doc.font('Helvetica');
}

export async function reportCardPdf(
  r: Head & {
    term: { name: string };
    sgpa: number | null;
    cgpa: number | null;
    credits_attempted: number;
    credits_earned: number;
    courses: Line[];
  },
) {
  const { doc, done } = await open(`Report card ${r.student.name} ${r.term.name}`, r.institution);
  header(doc, r, 'Report Card');
  doc.text(`Term: ${r.term.name}`);
  doc.moveDown(0.8);
  table(doc, r.courses);
  doc.moveDown(1);
  doc.text(`Term GPA (SGPA): ${fmt(r.sgpa)}`);
  doc.text(
    `Credits attempted: ${r.credits_attempted.toFixed(1)}   Credits earned: ${r.credits_earned.toFixed(1)}`,
  );
  doc.text(`Cumulative GPA (CGPA): ${fmt(r.cgpa)}`);
  doc.moveDown(2).fontSize(8).text('Only posted grades are shown. Generated electronically.');
  doc.end();
  return done;
}

export async function transcriptPdf(
  r: Head & {
    cgpa: number | null;
    credits_attempted: number;
    credits_earned: number;
    transfer_credits: number;
    terms: Array<{ name: string | null; sgpa: number | null; courses: Line[] }>;
    transfer: Line[];
  },
) {
  const { doc, done } = await open(`Transcript ${r.student.name}`, r.institution);
  header(doc, r, 'Academic Transcript');
  if (r.transfer.length) {
    doc.font('Helvetica-Bold').text('Transfer credit').font('Helvetica');
    table(doc, r.transfer);
    doc.moveDown(0.6);
  }
  for (const t of r.terms) {
    doc
      .font('Helvetica-Bold')
      .text(`${t.name ?? 'Without term'}  —  SGPA ${fmt(t.sgpa)}`)
      .font('Helvetica');
    table(doc, t.courses);
    doc.moveDown(0.6);
  }
  doc.moveDown(0.6);
  doc.text(`Cumulative GPA (CGPA): ${fmt(r.cgpa)}`);
  doc.text(
    `Credits attempted: ${r.credits_attempted.toFixed(1)}   Credits earned: ${r.credits_earned.toFixed(1)}   Transfer credits: ${r.transfer_credits.toFixed(1)}`,
  );
  doc.moveDown(2).fontSize(8).text('Only posted grades are shown. Generated electronically.');
  doc.end();
  return done;
}
