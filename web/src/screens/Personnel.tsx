import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { t } from '../i18n/en';
import { Button, Empty, ErrorAlert, Field, Loading, Page } from '../ui';
import { Pager } from './Classes';

const FILTERS = ['all', 'active', 'inactive', 'awol', 'death', 'rtu', 'posted', 'cse'] as const;
type Filter = (typeof FILTERS)[number];

/** Personnel registers (the ones the user is allowed), with a status filter, search and paging. */
export function Personnel() {
  const registers = useQuery({
    queryKey: ['registers'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/registers', { params: { query: { page_size: 100 } } })).data,
  });
  const [registerId, setRegisterId] = useState('');
  const reg = registerId || registers.data?.[0]?.id || '';
  const [filter, setFilter] = useState<Filter>('all');
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const people = useQuery({
    queryKey: ['personnel', reg, filter, search, page],
    enabled: Boolean(reg),
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/personnel/register/{register_id}', {
          params: {
            path: { register_id: reg },
            query: { page, page_size: 25, filter, ...(search ? { search } : {}) },
          },
        }),
      ),
    placeholderData: (prev) => prev,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setSearch(q.trim());
  };
  return (
    <Page title={t.personnel.title}>
      <form className="inline-form card" onSubmit={submit}>
        <Field label={t.personnel.register}>
          {(id) => (
            <select
              id={id}
              value={reg}
              onChange={(e) => {
                setPage(1);
                setRegisterId(e.target.value);
              }}
            >
              {(registers.data ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.personnel.filter}>
          {(id) => (
            <select
              id={id}
              value={filter}
              onChange={(e) => {
                setPage(1);
                setFilter(e.target.value as Filter);
              }}
            >
              {FILTERS.map((f) => (
                <option key={f} value={f}>
                  {t.personnel.statuses[f]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.personnel.search}>
          {(id) => <input id={id} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
        </Field>
        <Button type="submit">{t.common.search}</Button>
      </form>
      <ErrorAlert error={registers.error ?? people.error} />
      {people.isPending && reg ? (
        <Loading />
      ) : !people.data?.data.length ? (
        <Empty />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.personnel.serviceNumber}</th>
                <th scope="col">{t.personnel.name}</th>
                <th scope="col">{t.personnel.rank}</th>
                <th scope="col">{t.personnel.unit}</th>
                <th scope="col">{t.personnel.filter}</th>
              </tr>
            </thead>
            <tbody>
              {people.data.data.map((p) => (
                <tr key={p.id}>
                  <td>{p.service_number}</td>
                  <td>{[p.first_name, p.middle_name, p.last_name].filter(Boolean).join(' ')}</td>
                  <td>{p.rank ?? ''}</td>
                  <td>{p.unit ?? ''}</td>
                  <td>{t.personnel.statuses[p.status as Filter] ?? p.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} pages={people.data.meta.page_count} onPage={setPage} />
        </div>
      )}
    </Page>
  );
}
