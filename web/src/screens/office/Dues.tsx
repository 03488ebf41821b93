import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { t, word } from '../../i18n/en';
import { Button, ErrorAlert, Field, InputField, Notice, Page, RowsTable } from '../../ui';
import { ClassSelect, ExportButtons, jsonPage, Totals } from '../../ui-office';
import { Pager } from '../Classes';

type View = 'pending' | 'defaulters';

/**
 * Pending dues (unpaid or partly paid) and defaulters (past their due date), with filters and the totals
 * over every matching student; a defaulter can be contacted (audited, and the student is notified).
 */
export function Dues() {
  const qc = useQueryClient();
  const [view, setView] = useState<View>('pending');
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [classId, setClassId] = useState('');
  const [status, setStatus] = useState<'' | 'unpaid' | 'partial'>('');
  const [minDays, setMinDays] = useState('');
  const [page, setPage] = useState(1);
  const common = {
    page,
    page_size: 25,
    ...(search ? { search } : {}),
    ...(classId ? { class_id: classId } : {}),
  };
  const list = useQuery({
    queryKey: [view, common, status, minDays],
    queryFn: async () =>
      view === 'pending'
        ? jsonPage(
            unwrap(
              await api.GET('/api/v1/fee-payments/pending', {
                params: { query: { ...common, ...(status ? { payment_status: status } : {}) } },
              }),
            ),
          )
        : jsonPage(
            unwrap(
              await api.GET('/api/v1/fee-payments/defaulters', {
                params: { query: { ...common, ...(minDays ? { min_days_overdue: Number(minDays) } : {}) } },
              }),
            ),
          ),
  });
  const contact = useMutation({
    mutationFn: async (studentId: string) =>
      unwrap(
        await api.PUT('/api/v1/finance/action/contact/{student_id}', {
          params: { path: { student_id: studentId } },
          body: { channel: 'notification', message: t.office.dues.contactMessage },
        }),
      ).data,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['defaulters'] }),
  });
  const totals = list.data?.meta.totals ?? [];
  // The file holds every row the list's filters match (not only this page).
  const fileQuery = {
    ...(search ? { search } : {}),
    ...(classId ? { class_id: classId } : {}),
    ...(view === 'pending'
      ? status
        ? { payment_status: status }
        : {}
      : minDays
        ? { min_days_overdue: minDays }
        : {}),
  };
  const switchTo = (v: View) => {
    setView(v);
    setPage(1);
  };

  return (
    <Page title={t.office.dues.title}>
      <fieldset className="actions plain">
        <legend className="sr-only">{t.office.dues.view}</legend>
        <Button
          variant={view === 'pending' ? 'primary' : 'secondary'}
          aria-pressed={view === 'pending'}
          onClick={() => switchTo('pending')}
        >
          {t.office.dues.pending}
        </Button>
        <Button
          variant={view === 'defaulters' ? 'primary' : 'secondary'}
          aria-pressed={view === 'defaulters'}
          onClick={() => switchTo('defaulters')}
        >
          {t.office.dues.defaulters}
        </Button>
      </fieldset>
      <form
        className="card form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setSearch(q.trim());
        }}
      >
        <InputField label={t.desk.search} type="search" value={q} onValue={(v) => setQ(v)} />
        <ClassSelect
          label={t.office.fees.class}
          any
          value={classId}
          onChange={(v) => {
            setPage(1);
            setClassId(v);
          }}
        />
        {view === 'pending' ? (
          <Field label={t.office.dues.status}>
            {(id) => (
              <select
                id={id}
                value={status}
                onChange={(e) => {
                  setPage(1);
                  setStatus(e.target.value as typeof status);
                }}
              >
                <option value="">{t.office.any}</option>
                <option value="unpaid">{t.values.dues.unpaid}</option>
                <option value="partial">{t.values.dues.partial}</option>
              </select>
            )}
          </Field>
        ) : (
          <InputField
            label={t.office.dues.minDays}
            type="number"
            min={0}
            max={3650}
            value={minDays}
            onValue={(v) => {
              setPage(1);
              setMinDays(v);
            }}
          />
        )}
        <Button type="submit">{t.common.search}</Button>
      </form>
      <ErrorAlert error={list.error ?? contact.error} />
      {contact.data && <Notice>{t.office.dues.contacted}</Notice>}
      {totals.map((x) => (
        <Totals
          key={x.currency}
          items={[
            { label: t.office.dues.students, value: String(x.students) },
            { label: t.desk.balance, value: `${x.balance} ${x.currency}` },
            { label: t.desk.overdue, value: `${x.overdue_amount} ${x.currency}` },
          ]}
        />
      ))}
      <RowsTable
        rows={list.data?.data}
        pending={list.isPending}
        columns={[
          t.classes.student,
          t.desk.balance,
          t.desk.overdue,
          view === 'pending' ? t.office.dues.status : t.office.dues.daysOverdue,
          ...(view === 'defaulters' ? [t.office.dues.lastContacted, t.office.actions] : []),
        ]}
        row={(d) => (
          <tr key={d.student_id}>
            <td>
              {d.student_name} <span className="muted">{d.student_number}</span>
            </td>
            <td>
              {d.balance} {d.currency}
            </td>
            <td>{d.overdue_amount}</td>
            <td>{view === 'pending' ? word(t.values.dues, d.dues_status) : d.days_overdue}</td>
            {view === 'defaulters' && (
              <>
                <td>{d.last_contacted_at ? new Date(d.last_contacted_at).toLocaleDateString() : '—'}</td>
                <td>
                  <Button
                    variant="secondary"
                    busy={contact.isPending && contact.variables === d.student_id}
                    onClick={() => contact.mutate(d.student_id)}
                  >
                    {t.office.dues.contact}
                  </Button>
                </td>
              </>
            )}
          </tr>
        )}
      />
      {list.data && <Pager page={page} pages={list.data.meta.page_count} onPage={setPage} />}
      <ExportButtons
        path={`/api/v1/fee-payments/${view}`}
        query={fileQuery}
        name={view === 'pending' ? 'pending-dues' : 'defaulters'}
      />
    </Page>
  );
}
