import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { api, download, unwrap } from '../api/client';
import { t } from '../i18n/en';
import { Button, Empty, ErrorAlert, Field, InputField, Notice, Page, RowsTable } from '../ui';

const METHODS = ['cash', 'card', 'bank_transfer', 'cheque', 'online', 'other'] as const;
type Method = (typeof METHODS)[number];

/** Finance desk: outstanding dues, record a payment, recent payments with receipts and refunds, status. */
export function FeeDesk() {
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const dues = useQuery({
    queryKey: ['dues', search],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/finance/dues', {
          params: { query: { page_size: 25, ...(search ? { search } : {}) } },
        }),
      ).data,
  });
  const payments = useQuery({
    queryKey: ['desk-payments'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/fee-payments', { params: { query: { page_size: 20 } } })).data,
  });
  const status = useQuery({
    queryKey: ['status-report', search],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/finance/reports/status', {
          params: { query: { page_size: 25, ...(search ? { search } : {}) } },
        }),
      ).data,
  });
  const [studentId, setStudentId] = useState('');
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<Method>('cash');
  const key = useRef(crypto.randomUUID());
  const refresh = () => {
    for (const k of ['dues', 'desk-payments', 'status-report']) void qc.invalidateQueries({ queryKey: [k] });
  };
  const record = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/finance/record-payment', {
          params: { header: { 'idempotency-key': key.current } },
          body: { student_id: studentId, amount: amount.trim(), method },
        }),
      ).data,
    onSuccess: () => {
      key.current = crypto.randomUUID();
      setAmount('');
      refresh();
    },
  });
  const refund = useMutation({
    mutationFn: async ({
      key: k,
      ...v
    }: {
      payment_id: string;
      amount: string;
      reason: string;
      key: string;
    }) =>
      unwrap(
        await api.POST('/api/v1/fee-payments/refund', {
          params: { header: { 'idempotency-key': k } },
          body: v,
        }),
      ),
    onSuccess: refresh,
  });
  const [dlError, setDlError] = useState<unknown>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate();
  };
  const [refunding, setRefunding] = useState<{
    id: string;
    amount: string;
    reason: string;
    key: string;
  } | null>(null);

  return (
    <Page title={t.desk.title}>
      <form
        className="inline-form card"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q.trim());
        }}
      >
        <InputField label={t.desk.search} type="search" value={q} onValue={(v) => setQ(v)} />
        <Button type="submit">{t.common.search}</Button>
      </form>
      <ErrorAlert error={dues.error ?? record.error ?? refund.error ?? dlError} />
      {record.data && <Notice>{t.desk.recorded(record.data.receipt_no)}</Notice>}
      {refund.isSuccess && <Notice>{t.desk.refunded}</Notice>}
      <section aria-labelledby="dues-h">
        <h2 id="dues-h">{t.desk.dues}</h2>
        <RowsTable
          rows={dues.data}
          pending={dues.isPending}
          columns={[t.classes.student, t.desk.balance, t.desk.overdue, t.desk.record]}
          row={(d) => (
            <tr key={d.student_id}>
              <td>
                {d.student_name} <span className="muted">{d.student_number}</span>
              </td>
              <td>
                {d.balance} {d.currency}
              </td>
              <td>{d.overdue_amount}</td>
              <td>
                <Button variant="secondary" onClick={() => setStudentId(d.student_id)}>
                  {t.desk.record}
                </Button>
              </td>
            </tr>
          )}
        />
      </section>
      {studentId && (
        <form className="card form-grid" onSubmit={submit} aria-labelledby="rec-h">
          <h2 id="rec-h">
            {t.desk.record}: {dues.data?.find((d) => d.student_id === studentId)?.student_name}
          </h2>
          <InputField
            label={t.fees.amount}
            inputMode="decimal"
            required
            value={amount}
            onValue={(v) => setAmount(v)}
          />
          <Field label={t.fees.method}>
            {(id) => (
              <select id={id} value={method} onChange={(e) => setMethod(e.target.value as Method)}>
                {METHODS.map((m) => (
                  <option key={m} value={m}>
                    {t.desk.methods[m]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Button type="submit" busy={record.isPending} disabled={!amount || record.isPending}>
            {t.desk.record}
          </Button>
        </form>
      )}
      <section aria-labelledby="pay-h">
        <h2 id="pay-h">{t.desk.payments}</h2>
        <RowsTable
          rows={payments.data}
          pending={payments.isPending}
          columns={[t.fees.receipt, t.classes.student, t.fees.amount, t.desk.refund]}
          row={(p) => (
            <tr key={p.id}>
              <td>
                <Button
                  variant="ghost"
                  onClick={() =>
                    download(`/api/v1/fee-payments/${p.id}/receipt`, `receipt-${p.receipt_no}.pdf`).catch(
                      setDlError,
                    )
                  }
                >
                  {p.receipt_no}
                </Button>
              </td>
              <td>{p.student_name}</td>
              <td>
                {p.amount} {p.currency} {Number(p.refunded_amount) > 0 ? `(−${p.refunded_amount})` : ''}
              </td>
              <td>
                {Number(p.refundable_amount) > 0 && (
                  <Button
                    variant="secondary"
                    onClick={() =>
                      setRefunding({
                        id: p.id,
                        amount: p.refundable_amount,
                        reason: '',
                        key: crypto.randomUUID(),
                      })
                    }
                  >
                    {t.desk.refund}
                  </Button>
                )}
              </td>
            </tr>
          )}
        />
      </section>
      {refunding && (
        <form
          className="card form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            refund.mutate({
              payment_id: refunding.id,
              amount: refunding.amount,
              reason: refunding.reason,
              key: refunding.key,
            });
            setRefunding(null);
          }}
        >
          <InputField
            label={t.desk.refundAmount}
            inputMode="decimal"
            value={refunding.amount}
            onValue={(v) => setRefunding({ ...refunding, amount: v })}
          />
          <InputField
            label={t.desk.reason}
            required
            value={refunding.reason}
            onValue={(v) => setRefunding({ ...refunding, reason: v })}
          />
          <Button type="submit" disabled={!refunding.reason.trim()}>
            {t.desk.refund}
          </Button>
          <Button variant="ghost" onClick={() => setRefunding(null)}>
            {t.common.cancel}
          </Button>
        </form>
      )}
      <section aria-labelledby="status-h">
        <h2 id="status-h">{t.desk.statusReport}</h2>
        {status.data?.length ? (
          <div className="table-wrap">
            <table>
              <tbody>
                {status.data.map((r) => (
                  <tr key={r.student_id}>
                    <td>{r.student_name}</td>
                    <td>
                      {r.total_paid} / {r.total_charged} {r.currency}
                    </td>
                    <td>{r.status === 'paid' || r.result === 'pass' ? t.desk.paidInFull : t.desk.notPaid}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty />
        )}
      </section>
    </Page>
  );
}
