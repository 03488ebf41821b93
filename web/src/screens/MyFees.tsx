import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { api, download, unwrap } from '../api/client';
import { t, word } from '../i18n/en';
import { Button, Empty, ErrorAlert, Field, Loading, Notice, Page, RowsTable } from '../ui';

const METHODS = ['card', 'online', 'bank_transfer'] as const;

/** Student: dues, paying them, the payments with their PDF receipts, and the ledger. */
export function MyFees() {
  const qc = useQueryClient();
  const fees = useQuery({
    queryKey: ['my-fees'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/students/me/fees', { params: { query: { page_size: 50 } } })),
  });
  const payments = useQuery({
    queryKey: ['my-payments'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/fee-payments', { params: { query: { page_size: 50 } } })).data,
  });
  const summary = fees.data?.meta.summary;
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<(typeof METHODS)[number]>('card');
  // One idempotency key per intended payment: a retried click never pays twice.
  const key = useRef(crypto.randomUUID());
  const pay = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/students/me/payments', {
          params: { header: { 'idempotency-key': key.current } },
          body: { amount: (amount || summary?.balance || '0').trim(), method },
        }),
      ).data,
    onSuccess: () => {
      key.current = crypto.randomUUID();
      setAmount('');
      void qc.invalidateQueries({ queryKey: ['my-fees'] });
      void qc.invalidateQueries({ queryKey: ['my-payments'] });
    },
  });
  const [dlError, setDlError] = useState<unknown>(null);
  const receipt = (id: string, no: string) =>
    download(`/api/v1/fee-payments/${id}/receipt`, `receipt-${no}.pdf`).catch(setDlError);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pay.mutate();
  };
  const due = summary && Number(summary.balance) > 0;

  return (
    <Page title={t.fees.title}>
      {fees.isPending ? (
        <Loading />
      ) : fees.error ? (
        <ErrorAlert error={fees.error} />
      ) : (
        <>
          <dl className="stats">
            <div>
              <dt>{t.fees.balance}</dt>
              <dd data-testid="balance">
                {summary?.balance} {summary?.currency}
              </dd>
            </div>
            <div>
              <dt>{t.fees.status}</dt>
              <dd>{word(t.values.dues, summary?.dues_status)}</dd>
            </div>
          </dl>
          {pay.data && <Notice>{t.fees.paid(pay.data.receipt_no)}</Notice>}
          <ErrorAlert error={pay.error ?? dlError} />
          {due ? (
            <form className="card form-grid" onSubmit={submit}>
              <Field label={t.fees.amount} hint={`${summary?.balance} ${summary?.currency}`}>
                {(id, hint) => (
                  <input
                    id={id}
                    aria-describedby={hint}
                    inputMode="decimal"
                    placeholder={summary?.balance}
                    value={amount}
                    onChange={(e) => setAmount(e.target.value)}
                  />
                )}
              </Field>
              <Field label={t.fees.method}>
                {(id) => (
                  <select id={id} value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
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
          ) : (
            <Empty>{t.fees.nothingDue}</Empty>
          )}
        </>
      )}
      <section aria-labelledby="receipts-h">
        <h2 id="receipts-h">{t.fees.receipts}</h2>
        {payments.error ? (
          <ErrorAlert error={payments.error} />
        ) : (
          <RowsTable
            rows={payments.data}
            pending={payments.isPending}
            columns={[t.fees.date, t.fees.amount, t.fees.receipt]}
            row={(p) => (
              <tr key={p.id}>
                <td>{new Date(p.paid_at).toLocaleDateString()}</td>
                <td>
                  {p.amount} {p.currency}
                </td>
                <td>
                  <Button variant="secondary" onClick={() => void receipt(p.id, p.receipt_no)}>
                    {t.common.download} {p.receipt_no}
                  </Button>
                </td>
              </tr>
            )}
          />
        )}
      </section>
      {fees.data && fees.data.data.length > 0 && (
        <section aria-labelledby="ledger-h">
          <h2 id="ledger-h">{t.fees.history}</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.fees.date}</th>
                  <th scope="col">{t.fees.entry}</th>
                  <th scope="col">{t.fees.amount}</th>
                </tr>
              </thead>
              <tbody>
                {fees.data.data.map((e) => (
                  <tr key={e.id}>
                    <td>{new Date(e.occurred_at).toLocaleDateString()}</td>
                    <td>{word(t.values.entry, e.entry_type)}</td>
                    <td>
                      {e.amount} {e.currency}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </Page>
  );
}
