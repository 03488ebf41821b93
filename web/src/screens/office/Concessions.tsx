import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { t, word } from '../../i18n/en';
import { Button, ErrorAlert, Field, InputField, Notice, Page, RowsTable } from '../../ui';

type Credit = 'concession' | 'waiver';
type Listed = Credit | 'revocation';
/** Credits are stored negative (they lower the balance); the screen shows what was granted. */
const unsigned = (amount: string) => amount.replace(/^-/, '');

/**
 * Concessions and waivers (admin): find a student, see their balance and credits, grant one with a reason,
 * or revoke one (a revocation entry cancels it; the ledger keeps both).
 */
export function Concessions() {
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [studentId, setStudentId] = useState('');
  const found = useQuery({
    queryKey: ['students-find', search],
    enabled: search.length > 0,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/students/search', { params: { query: { q: search, limit: 10 } } })).data,
  });
  const credits = useQuery({
    queryKey: ['student-credits', studentId],
    enabled: Boolean(studentId),
    queryFn: async () => {
      const get = async (entry_type: Listed) =>
        unwrap(
          await api.GET('/api/v1/students/{id}/fees', {
            params: { path: { id: studentId }, query: { entry_type, page_size: 50 } },
          }),
        );
      const [c, w, r] = await Promise.all([get('concession'), get('waiver'), get('revocation')]);
      return {
        summary: c.meta.summary,
        rows: [...c.data, ...w.data, ...r.data].sort((a, b) => b.occurred_at.localeCompare(a.occurred_at)),
        revoked: new Set(r.data.map((x) => x.reverses_entry_id)),
      };
    },
  });
  const [entryType, setEntryType] = useState<Credit>('concession');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const grant = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/finance/adjustments', {
          body: {
            student_id: studentId,
            entry_type: entryType,
            amount: amount.trim(),
            reason: reason.trim(),
          },
        }),
      ).data,
    onSuccess: () => {
      setAmount('');
      setReason('');
      void qc.invalidateQueries({ queryKey: ['student-credits', studentId] });
      for (const k of ['dues', 'pending', 'defaulters']) void qc.invalidateQueries({ queryKey: [k] });
    },
  });
  const [revoking, setRevoking] = useState<{ id: string; reason: string } | null>(null);
  const revoke = useMutation({
    mutationFn: async (v: { id: string; reason: string }) =>
      unwrap(
        await api.POST('/api/v1/finance/adjustments/{id}/revoke', {
          params: { path: { id: v.id } },
          body: { reason: v.reason.trim() },
        }),
      ).data,
    onSuccess: () => {
      setRevoking(null);
      void qc.invalidateQueries({ queryKey: ['student-credits', studentId] });
      for (const k of ['dues', 'pending', 'defaulters']) void qc.invalidateQueries({ queryKey: [k] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    grant.mutate();
  };
  const student = found.data?.find((s) => s.id === studentId);
  const s = credits.data?.summary;

  return (
    <Page title={t.office.concessions.title}>
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
      <ErrorAlert error={found.error ?? credits.error} />
      {search && (
        <RowsTable
          rows={found.data}
          pending={found.isPending}
          columns={[t.classes.student, t.classes.number, t.office.actions]}
          row={(x) => (
            <tr key={x.id} aria-selected={x.id === studentId}>
              <td>
                {x.first_name} {x.last_name}
              </td>
              <td>{x.student_number}</td>
              <td>
                <Button
                  variant="secondary"
                  onClick={() => {
                    grant.reset();
                    revoke.reset();
                    setRevoking(null);
                    setStudentId(x.id);
                  }}
                >
                  {t.office.concessions.select}
                </Button>
              </td>
            </tr>
          )}
        />
      )}
      {studentId && (
        <section className="card" aria-labelledby="cr-h">
          <h2 id="cr-h">
            {t.office.concessions.of(student ? `${student.first_name} ${student.last_name}` : '')}
          </h2>
          {s && (
            <p data-testid="student-balance">
              {t.office.concessions.balance(
                `${s.balance} ${s.currency}`,
                `${s.total_credited} ${s.currency}`,
              )}
            </p>
          )}
          {grant.data && (
            <Notice>{t.office.concessions.granted(unsigned(grant.data.amount), grant.data.currency)}</Notice>
          )}
          {revoke.data && (
            <Notice>{t.office.concessions.revoked(revoke.data.amount, revoke.data.currency)}</Notice>
          )}
          <ErrorAlert error={grant.error ?? revoke.error} />
          <form className="form-grid" onSubmit={submit}>
            <Field label={t.office.concessions.kind}>
              {(id) => (
                <select id={id} value={entryType} onChange={(e) => setEntryType(e.target.value as Credit)}>
                  <option value="concession">{t.values.entry.concession}</option>
                  <option value="waiver">{t.values.entry.waiver}</option>
                </select>
              )}
            </Field>
            <InputField
              label={t.fees.amount}
              required
              inputMode="decimal"
              value={amount}
              onValue={(v) => setAmount(v)}
            />
            <Field label={t.desk.reason} hint={t.office.concessions.reasonHint}>
              {(id, hint) => (
                <input
                  id={id}
                  required
                  minLength={3}
                  aria-describedby={hint}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                />
              )}
            </Field>
            <Button
              type="submit"
              busy={grant.isPending}
              disabled={!amount.trim() || reason.trim().length < 3}
            >
              {t.office.concessions.grant}
            </Button>
          </form>
          <RowsTable
            rows={credits.data?.rows}
            pending={credits.isPending}
            columns={[t.fees.date, t.fees.entry, t.fees.amount, t.desk.reason, t.office.actions]}
            row={(r) => (
              <tr key={r.id}>
                <td>{new Date(r.occurred_at).toLocaleDateString()}</td>
                <td>
                  {r.entry_type === 'revocation'
                    ? t.office.concessions.revocation
                    : word(t.values.entry, r.entry_type)}
                </td>
                <td>
                  {unsigned(r.amount)} {r.currency}
                </td>
                <td>{r.reason}</td>
                <td>
                  {r.entry_type === 'revocation' ? null : credits.data?.revoked.has(r.id) ? (
                    <span className="muted">{t.office.concessions.isRevoked}</span>
                  ) : (
                    <Button variant="secondary" onClick={() => setRevoking({ id: r.id, reason: '' })}>
                      {t.office.concessions.revoke}
                    </Button>
                  )}
                </td>
              </tr>
            )}
          />
          {revoking && (
            <form
              className="form-grid"
              aria-label={t.office.concessions.revoke}
              onSubmit={(e) => {
                e.preventDefault();
                revoke.mutate(revoking);
              }}
            >
              <InputField
                label={t.office.concessions.revokeReason}
                required
                minLength={3}
                value={revoking.reason}
                onValue={(v) => setRevoking({ ...revoking, reason: v })}
              />
              <Button type="submit" busy={revoke.isPending} disabled={revoking.reason.trim().length < 3}>
                {t.office.concessions.revoke}
              </Button>
              <Button variant="ghost" onClick={() => setRevoking(null)}>
                {t.common.cancel}
              </Button>
            </form>
          )}
        </section>
      )}
    </Page>
  );
}
