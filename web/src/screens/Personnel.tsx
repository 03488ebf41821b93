import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { useAuth } from '../auth';
import { t } from '../i18n/en';
import { Link } from '../router';
import { Button, Empty, ErrorAlert, Field, InputField, Loading, Notice, Page } from '../ui';
import { ConfirmButton } from '../ui-admin';
import { AddPerson, fullName } from './admin/PersonDetail';
import { RegistersAdmin } from './admin/Registers';
import { Pager } from './Classes';

const FILTERS = ['all', 'active', 'inactive', 'awol', 'death', 'rtu', 'posted', 'cse'] as const;
type Filter = (typeof FILTERS)[number];

/**
 * Personnel registers (the ones the user is allowed), with a status filter, search and paging; adding a
 * person, bulk delete, and (admins) managing the registers themselves.
 */
export function Personnel() {
  const qc = useQueryClient();
  const { has } = useAuth();
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
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const rows = people.data?.data ?? [];
  const toggle = (pid: string) => {
    const next = new Set(picked);
    if (next.has(pid)) next.delete(pid);
    else next.add(pid);
    setPicked(next);
  };
  const allPicked = rows.length > 0 && rows.every((p) => picked.has(p.id));
  const bulk = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE('/api/v1/personnel/bulk-delete', { body: { ids: [...picked] } })).data,
    onSuccess: () => {
      setPicked(new Set());
      void qc.invalidateQueries({ queryKey: ['personnel'] });
      void qc.invalidateQueries({ queryKey: ['registers'] });
    },
  });
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
                setPicked(new Set());
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
        <InputField label={t.personnel.search} type="search" value={q} onValue={(v) => setQ(v)} />
        <Button type="submit">{t.common.search}</Button>
      </form>
      {has('admin') && (
        <RegistersAdmin
          registers={registers.data}
          pending={registers.isPending}
          onDeleted={(id) => {
            if (id === reg) {
              setRegisterId('');
              setPicked(new Set());
            }
          }}
        />
      )}
      <AddPerson key={reg} registerId={reg} />
      <ErrorAlert error={registers.error ?? people.error ?? bulk.error} />
      {bulk.data && <Notice>{t.admin.personnel.bulkDeleted(bulk.data.deleted, bulk.data.requested)}</Notice>}
      {picked.size > 0 && (
        <div className="actions">
          <ConfirmButton
            label={t.admin.personnel.bulkDelete(picked.size)}
            question={t.admin.personnel.bulkDeleteQ(picked.size)}
            busy={bulk.isPending}
            onConfirm={() => bulk.mutate()}
          />
        </div>
      )}
      {people.isPending && reg ? (
        <Loading />
      ) : !reg || !people.data?.data.length ? (
        <Empty />
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label={t.admin.personnel.selectAll}
                    checked={allPicked}
                    onChange={() =>
                      setPicked(allPicked ? new Set() : new Set([...picked, ...rows.map((p) => p.id)]))
                    }
                  />
                </th>
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
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t.admin.personnel.select(p.service_number)}
                      checked={picked.has(p.id)}
                      onChange={() => toggle(p.id)}
                    />
                  </td>
                  <td>{p.service_number}</td>
                  <td>
                    <Link to={`/personnel/${p.id}`}>{fullName(p)}</Link>
                  </td>
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
