import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n/en';
import { ErrorAlert, InputField, Page, RowsTable } from '../../ui';
import { ExportButtons, jsonPage, OrgSelect } from '../../ui-office';
import { Pager } from '../Classes';

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** Attendance compliance for a principal: classes with no roll call on a school day, with their teachers. */
export function Compliance() {
  const [orgId, setOrgId] = useState('');
  return (
    <Page title={t.office.compliance.title}>
      <MissingRolls
        organizationId={orgId || undefined}
        withFilters
        orgFilter={
          <OrgSelect label={t.office.compliance.organization} any value={orgId} onChange={setOrgId} />
        }
      />
    </Page>
  );
}

/** The missing rolls of a day or period (`/reports/attendance-compliance`), with CSV/XLSX of the same filter. */
export function MissingRolls({
  organizationId,
  withFilters,
  orgFilter,
}: {
  organizationId?: string;
  withFilters?: boolean;
  orgFilter?: ReactNode;
}) {
  const [from, setFrom] = useState(today());
  const [to, setTo] = useState(today());
  const [page, setPage] = useState(1);
  const query = {
    page,
    page_size: 25,
    ...(organizationId ? { organization_id: organizationId } : {}),
    ...(from === to ? { date: from } : { from, to }),
  };
  const list = useQuery({
    queryKey: ['compliance', query],
    queryFn: async () =>
      jsonPage(unwrap(await api.GET('/api/v1/reports/attendance-compliance', { params: { query } }))),
  });
  const total = list.data?.meta.totals[0];
  return (
    <section aria-labelledby="missing-h">
      <h2 id="missing-h">{t.office.compliance.missing}</h2>
      {withFilters && (
        <div className="card form-grid">
          {orgFilter}
          <InputField
            label={t.office.from}
            type="date"
            value={from}
            onValue={(v) => {
              setPage(1);
              setFrom(v);
            }}
          />
          <InputField
            label={t.office.to}
            type="date"
            value={to}
            onValue={(v) => {
              setPage(1);
              setTo(v);
            }}
          />
        </div>
      )}
      <ErrorAlert error={list.error} />
      {total && (
        <p data-testid="missing-total">{t.office.compliance.summary(total.missing_rolls, total.classes)}</p>
      )}
      <RowsTable
        rows={list.data?.data}
        pending={list.isPending}
        columns={[t.fees.date, t.office.compliance.class, t.office.compliance.teachers]}
        row={(r) => (
          <tr key={`${r.date}:${r.class_id}`}>
            <td>{r.date}</td>
            <td>{r.class_name}</td>
            <td>{r.teacher_names ?? t.classes.noTeachers}</td>
          </tr>
        )}
      />
      {list.data && <Pager page={page} pages={list.data.meta.page_count} onPage={setPage} />}
      <ExportButtons
        path="/api/v1/reports/attendance-compliance"
        query={{ ...query, page: undefined, page_size: undefined }}
        name="missing-rolls"
      />
    </section>
  );
}
