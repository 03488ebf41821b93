import { eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../../db/client.js';
import { outbox } from './outbox.table.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends mail through SMTP when SMTP_URL is set; otherwise the message lands in the `outbox` table and the
 * log. Every message gets an outbox row either way; with SMTP the body is not kept. Without SMTP, in
 * development only (`printBodies`), the log line carries the body too, so a developer can read a one-time
 * code off the console; in production and tests the log never holds a mail's body.
 */
export class Mailer {
  private readonly transport: Transporter | null;
  constructor(
    private readonly db: Db,
    smtpUrl: string | null,
    private readonly from: string,
    private readonly log: FastifyBaseLogger,
    private readonly printBodies = false,
  ) {
    this.transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  }

  get delivers(): boolean {
    return this.transport !== null;
  }

  async send(msg: MailMessage): Promise<void> {
    const [row] = await this.db
      .insert(outbox)
      .values({
        toAddress: msg.to,
        subject: msg.subject,
        body: this.transport ? '[sent via SMTP; body not stored]' : msg.text,
        status: this.transport ? 'sending' : 'stored',
      })
      .returning({ id: outbox.id });
    if (!this.transport) {
      this.log.info(
        {
          to: msg.to,
          subject: msg.subject,
          outbox_id: row.id,
          ...(this.printBodies ? { text: msg.text } : {}),
        },
        this.printBodies
          ? `mail stored in outbox (no SMTP_URL; development prints it):\n${msg.text}`
          : 'mail stored in outbox (no SMTP_URL)',
      );
      return;
    }
    // SMTP delivery happens after the response: waiting for it would make answers for registered addresses
    // measurably slower than for unknown ones (account enumeration by timing). The outbox row is the record.
    const delivery = this.deliver(row.id, msg).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  private readonly pending = new Set<Promise<void>>();

  private async deliver(id: string, msg: MailMessage): Promise<void> {
    const transport = this.transport!;
    try {
      await transport.sendMail({ from: this.from, to: msg.to, subject: msg.subject, text: msg.text });
      await this.db.update(outbox).set({ status: 'sent', sentAt: new Date() }).where(eq(outbox.id, id));
    } catch (err) {
      // Mail failure must not fail the user's request (forgot-password always answers 202); it is recorded.
      this.log.error({ err, outbox_id: id }, 'mail delivery failed');
      await this.db
        .update(outbox)
        .set({ status: 'failed', error: String((err as Error).message).slice(0, 500) })
        .where(eq(outbox.id, id))
        .catch(() => {});
    }
  }

  /** Resolves when every background delivery started so far has finished (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    await this.flush();
    this.transport?.close();
  }
}
