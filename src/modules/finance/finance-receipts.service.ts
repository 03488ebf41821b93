import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { loadPdfKit } from '../../kernel/lazy.js';
import { iso } from '../../kernel/sql.js';
import * as repo from './finance-payments.repo.js';
import { toPayment } from './finance-payments.service.js';

const METHOD_LABEL: Record<string, string> = {
  cash: 'Cash',
  card: 'Card',
  bank_transfer: 'Bank transfer',
  cheque: 'Cheque',
  online: 'Online',
  other: 'Other',
};

/**
 * A one-page PDF receipt: institution, receipt number, date, student name and number, amount with currency,
 * method and reference. Uncompressed content streams keep the text greppable by tools and tests.
 */
export async function receiptPdf(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findVisible(db, ctx.actor, id);
  if (!row) throw notFound('Payment');
  const p = toPayment(row);
  const PDFDocument = await loadPdfKit();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: false,
    info: { Title: `Receipt ${p.receipt_no}`, Author: row.org_name, Subject: 'Payment receipt' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.fontSize(20).text(row.org_name, { align: 'center' });
  doc.moveDown(0.5).fontSize(14).text('Payment Receipt', { align: 'center' });
  doc.moveDown(1.5).fontSize(11);
  const line = (label: string, value: string) => doc.text(`${label}: ${value}`);
  line('Receipt No', p.receipt_no);
  line('Date', iso(row.paid_at)!.slice(0, 10));
  line('Student', p.student_name);
  line('Student No', p.student_number);
  line('Amount', `${p.amount} ${p.currency}`);
  line('Method', METHOD_LABEL[p.method] ?? p.method);
  if (p.reference) line('Reference', p.reference);
  if (p.payment_status !== 'completed') line('Refunded', `${p.refunded_amount} ${p.currency}`);
  doc
    .moveDown(2)
    .fontSize(9)
    .text('This receipt was generated electronically and is valid without a signature.');
  doc.end();
  return { filename: `${p.receipt_no}.pdf`, pdf: await done };
}
