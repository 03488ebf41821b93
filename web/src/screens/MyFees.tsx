import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { t, word } from '../i18n/en';
import { Empty, ErrorAlert, Loading, Page } from '../ui';
import { type PayBody, PayForm, ReceiptsTable } from './Payments';

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
  const [dlError, setDlError] = useState<unknown>(null);
  const send = async (key: string, body: PayBody) =>
    unwrap(
      await api.POST('/api/v1/students/me/payments', {
        params: { header: { 'idempotency-key': key } },
        body,
      }),
    ).data;
  const onPaid = () => {
    void qc.invalidateQueries({ queryKey: ['my-fees'] });
    void qc.invalidateQueries({ queryKey: ['my-payments'] });
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
          <ErrorAlert error={dlError} />
          {summary && (
            <PayForm
              balance={summary.balance}
              currency={summary.currency}
              className="card form-grid"
              send={send}
              onPaid={onPaid}
            />
          )}
          {!due && <Empty>{t.fees.nothingDue}</Empty>}
        </>
      )}
      <section aria-labelledby="receipts-h">
        <h2 id="receipts-h">{t.fees.receipts}</h2>
        {payments.error ? (
          <ErrorAlert error={payments.error} />
        ) : (
          <ReceiptsTable rows={payments.data} pending={payments.isPending} onError={setDlError} />
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
