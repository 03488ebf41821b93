import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { t, word } from '../../i18n/en';
import { Button, ErrorAlert, Field, InputField, Notice, Page, RowsTable } from '../../ui';
import { type PickedStudent, StudentPicker } from './StudentPicker';

const L = t.roles.library;

/** The circulation desk (admin, staff: a librarian is a staff member): catalogue, issue, return, renew, fines. */
export function LibraryDesk() {
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['desk-loans'] });
    void qc.invalidateQueries({ queryKey: ['desk-fines'] });
    void qc.invalidateQueries({ queryKey: ['catalogue'] });
  };
  const [q, setQ] = useState('');
  const books = useQuery({
    queryKey: ['catalogue', q],
    enabled: q.trim().length >= 2,
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/library/books/search', { params: { query: { q: q.trim(), page_size: 20 } } }),
      ).data,
  });
  const loans = useQuery({
    queryKey: ['desk-loans'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/library/issued', { params: { query: { page_size: 50 } } })).data,
  });
  const fines = useQuery({
    queryKey: ['desk-fines'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/library/fines', { params: { query: { page_size: 50 } } })).data,
  });

  const [bookId, setBookId] = useState('');
  const [barcode, setBarcode] = useState('');
  const [student, setStudent] = useState<PickedStudent | null>(null);
  const issue = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/library/issue', {
          body: {
            ...(barcode.trim() ? { barcode: barcode.trim() } : { book_id: bookId }),
            student_id: student?.id ?? '',
          },
        }),
      ).data,
    onSuccess: () => {
      setBarcode('');
      refresh();
    },
  });
  const submitIssue = (e: FormEvent) => {
    e.preventDefault();
    issue.mutate();
  };
  // What the last desk action did (return, renew, fine paid), in words.
  const [done, setDone] = useState<string | null>(null);
  const ret = useMutation({
    mutationFn: async (loanId: string) =>
      unwrap(await api.PUT('/api/v1/library/return', { body: { loan_id: loanId } })).data,
    onMutate: () => setDone(null),
    onSuccess: (loan) => {
      setDone(L.returned(loan.book_title));
      refresh();
    },
  });
  const renew = useMutation({
    mutationFn: async (loanId: string) =>
      unwrap(await api.POST('/api/v1/library/renew', { body: { loan_id: loanId } })).data,
    onMutate: () => setDone(null),
    onSuccess: (loan) => {
      setDone(L.renewed(loan.due_date));
      refresh();
    },
  });
  // One idempotency key per fine being paid: a retried click never pays twice.
  const keys = useRef(new Map<string, string>());
  const payFine = useMutation({
    mutationFn: async (fineId: string) => {
      const key = keys.current.get(fineId) ?? crypto.randomUUID();
      keys.current.set(fineId, key);
      return unwrap(
        await api.POST('/api/v1/library/pay-fine', {
          params: { header: { 'idempotency-key': key } },
          body: { fine_id: fineId, method: 'cash' },
        }),
      );
    },
    onMutate: () => setDone(null),
    onSuccess: (_r, fineId) => {
      keys.current.delete(fineId);
      setDone(L.finePaid);
      refresh();
    },
  });

  return (
    <Page title={L.title}>
      <section className="card" aria-labelledby="cat-h">
        <h2 id="cat-h">{L.catalogue}</h2>
        <Field label={L.search} hint={L.searchHint}>
          {(id, hint) => (
            <input
              id={id}
              type="search"
              aria-describedby={hint}
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
          )}
        </Field>
        <ErrorAlert error={books.error} />
        {q.trim().length >= 2 && (
          <RowsTable
            rows={books.data}
            pending={books.isPending}
            columns={[L.title_, L.author, L.available, '']}
            row={(b) => (
              <tr key={b.id}>
                <td>{b.title}</td>
                <td>{b.author}</td>
                <td>
                  {b.copies_available} / {b.copies_total}
                </td>
                <td>
                  <Button
                    variant="secondary"
                    disabled={b.copies_available === 0}
                    aria-label={`${L.issue}: ${b.title}`}
                    onClick={() => setBookId(b.id)}
                  >
                    {L.issue}
                  </Button>
                </td>
              </tr>
            )}
          />
        )}
      </section>

      <form className="card form-grid" onSubmit={submitIssue} aria-labelledby="issue-h">
        <h2 id="issue-h">{L.issue}</h2>
        {bookId && <p className="muted">{books.data?.find((b) => b.id === bookId)?.title ?? ''}</p>}
        <InputField label={L.barcode} value={barcode} onValue={(v) => setBarcode(v)} />
        <StudentPicker label={L.student} pickLabel={L.pickStudent} value={student} onChange={setStudent} />
        <ErrorAlert error={issue.error} />
        {issue.data && <Notice>{L.issued(issue.data.book_title, issue.data.due_date)}</Notice>}
        <Button
          type="submit"
          busy={issue.isPending}
          disabled={issue.isPending || !student || (!barcode.trim() && !bookId)}
        >
          {L.issue}
        </Button>
      </form>

      {done && <Notice>{done}</Notice>}
      <ErrorAlert error={ret.error ?? renew.error ?? payFine.error ?? loans.error ?? fines.error} />
      <section aria-labelledby="loans-h">
        <h2 id="loans-h">{L.loans}</h2>
        <RowsTable
          rows={loans.data}
          pending={loans.isPending && !loans.error}
          columns={[L.title_, L.patron, L.due, '']}
          row={(l) => (
            <tr key={l.id}>
              <td>
                {l.book_title}
                <br />
                <small className="muted">{l.barcode}</small>
              </td>
              <td>{l.patron_name}</td>
              <td>
                {l.due_date}
                {l.days_overdue > 0 && (
                  <>
                    <br />
                    <small className="muted">{L.overdue(l.days_overdue)}</small>
                  </>
                )}
              </td>
              <td>
                <Button
                  onClick={() => ret.mutate(l.id)}
                  aria-label={`${L.return}: ${l.book_title}, ${l.patron_name}`}
                >
                  {L.return}
                </Button>{' '}
                <Button
                  variant="secondary"
                  onClick={() => renew.mutate(l.id)}
                  aria-label={`${L.renew}: ${l.book_title}, ${l.patron_name}`}
                >
                  {L.renew}
                </Button>
              </td>
            </tr>
          )}
        />
      </section>
      <section aria-labelledby="fines-h">
        <h2 id="fines-h">{L.fines}</h2>
        <RowsTable
          rows={fines.data}
          pending={fines.isPending && !fines.error}
          columns={[L.title_, L.patron, L.outstanding, L.status, '']}
          row={(f) => (
            <tr key={f.id}>
              <td>{f.book_title}</td>
              <td>{f.patron_name}</td>
              <td>
                {f.outstanding} {f.currency}
              </td>
              <td>{word(t.roles.values.fine, f.status)}</td>
              <td>
                {Number(f.outstanding) > 0 && (
                  <Button
                    variant="secondary"
                    busy={payFine.isPending && payFine.variables === f.id}
                    onClick={() => payFine.mutate(f.id)}
                    aria-label={`${L.payFine}: ${f.book_title}, ${f.patron_name}`}
                  >
                    {L.payFine}
                  </Button>
                )}
              </td>
            </tr>
          )}
        />
      </section>
    </Page>
  );
}
