import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { download } from '../api/client';
import { t } from '../i18n/en';
import { Button, ErrorAlert, Field, Notice, RowsTable } from '../ui';

const METHODS = ['card', 'online', 'bank_transfer'] as const;
export type PayBody = { amount: string; method: (typeof METHODS)[number] };

/**
 * Paying dues online (a student's own, a parent's for a child): amount (the balance when left empty) and
 * method, one Idempotency-Key per intended payment so a retried click never pays twice; the receipt number
 * once paid. `send` makes the request with the key; `onPaid` refreshes what the payment changed.
 */
export function PayForm({
  balance,
  currency,
  className,
  send,
  onPaid,
}: {
  balance: string;
  currency: string;
  className: string;
  send: (key: string, body: PayBody) => Promise<{ receipt_no: string }>;
  onPaid: () => void;
}) {
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PayBody['method']>('card');
  const key = useRef(crypto.randomUUID());
  const pay = useMutation({
    mutationFn: () => send(key.current, { amount: (amount || balance || '0').trim(), method }),
    onSuccess: () => {
      key.current = crypto.randomUUID();
      setAmount('');
      onPaid();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pay.mutate();
  };
  return (
    <>
      {pay.data && <Notice>{t.fees.paid(pay.data.receipt_no)}</Notice>}
      <ErrorAlert error={pay.error} />
      {Number(balance) > 0 && (
        <form className={className} onSubmit={submit}>
          <Field label={t.fees.amount} hint={`${balance} ${currency}`}>
            {(id, hint) => (
              <input
                id={id}
                aria-describedby={hint}
                inputMode="decimal"
                placeholder={balance}
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
            )}
          </Field>
          <Field label={t.fees.method}>
            {(id) => (
              <select id={id} value={method} onChange={(e) => setMethod(e.target.value as PayBody['method'])}>
                {METHODS.map((m) => (
                  <option key={m} value={m}>
                    {t.fees.methods[m]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Button type="submit" busy={pay.isPending} disabled={pay.isPending}>
            {pay.isPending ? t.fees.paying : t.fees.pay}
          </Button>
        </form>
      )}
    </>
  );
}

interface PaymentRow {
  id: string;
  paid_at: string;
  amount: string;
  currency: string;
  receipt_no: string;
}

/** Payments with a download button for each PDF receipt (fetched with the session). */
export function ReceiptsTable({
  rows,
  pending,
  onError,
}: {
  rows: PaymentRow[] | undefined;
  pending: boolean;
  onError: (e: unknown) => void;
}) {
  return (
    <RowsTable
      rows={rows}
      pending={pending}
      columns={[t.fees.date, t.fees.amount, t.fees.receipt]}
      row={(p) => (
        <tr key={p.id}>
          <td>{new Date(p.paid_at).toLocaleDateString()}</td>
          <td>
            {p.amount} {p.currency}
          </td>
          <td>
            <Button
              variant="secondary"
              onClick={() =>
                void download(`/api/v1/fee-payments/${p.id}/receipt`, `receipt-${p.receipt_no}.pdf`).catch(
                  onError,
                )
              }
            >
              {t.common.download} {p.receipt_no}
            </Button>
          </td>
        </tr>
      )}
    />
  );
}
