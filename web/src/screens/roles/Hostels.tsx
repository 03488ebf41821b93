import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { t, word } from '../../i18n/en';
import { Button, Empty, ErrorAlert, Field, InputField, Loading, Notice, Page, RowsTable } from '../../ui';
import { type PickedStudent, StudentPicker } from './StudentPicker';

const H = t.roles.hostels;

/** The hostel office (a warden is staff): hostels with occupancy, rooms, allocating and vacating beds. */
export function Hostels() {
  const hostels = useQuery({
    queryKey: ['hostels'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/hostels', { params: { query: { page_size: 100 } } })).data,
  });
  const [hostelId, setHostelId] = useState('');
  const chosen = hostelId || hostels.data?.[0]?.id || '';
  return (
    <Page title={H.title}>
      <ErrorAlert error={hostels.error} />
      <section aria-labelledby="occ-h">
        <h2 id="occ-h">{H.occupancy}</h2>
        <RowsTable
          rows={hostels.data}
          pending={hostels.isPending && !hostels.error}
          columns={[H.hostel, H.rooms, H.beds, H.occupied, H.free]}
          row={(h) => (
            <tr key={h.id} data-testid={`hostel-${h.id}`}>
              <td>{h.name}</td>
              <td>{h.room_count}</td>
              <td>{h.capacity}</td>
              <td>{h.occupied}</td>
              <td>{h.capacity - h.occupied}</td>
            </tr>
          )}
        />
      </section>
      {hostels.data && hostels.data.length > 0 && (
        <>
          <Field label={H.hostel}>
            {(id) => (
              <select id={id} value={chosen} onChange={(e) => setHostelId(e.target.value)}>
                {hostels.data.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <HostelDetail key={chosen} hostelId={chosen} />
        </>
      )}
    </Page>
  );
}

function HostelDetail({ hostelId }: { hostelId: string }) {
  const qc = useQueryClient();
  const rooms = useQuery({
    queryKey: ['hostel-rooms', hostelId],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/hostels/{id}/rooms', {
          params: { path: { id: hostelId }, query: { page_size: 100 } },
        }),
      ).data,
  });
  const residents = useQuery({
    queryKey: ['hostel-residents', hostelId],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/hostel-allocations', {
          params: { query: { hostel_id: hostelId, status: 'active', page_size: 100 } },
        }),
      ).data,
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['hostels'] });
    void qc.invalidateQueries({ queryKey: ['hostel-rooms', hostelId] });
    void qc.invalidateQueries({ queryKey: ['hostel-residents', hostelId] });
  };
  const [student, setStudent] = useState<PickedStudent | null>(null);
  const [roomId, setRoomId] = useState('');
  const [year, setYear] = useState('');
  const allocate = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/hostel-allocations', {
          body: {
            student_id: student?.id ?? '',
            room_id: roomId,
            ...(year.trim() ? { academic_year: year.trim() } : {}),
          },
        }),
      ).data,
    onSuccess: () => {
      setStudent(null);
      refresh();
    },
  });
  const [confirm, setConfirm] = useState<string | null>(null);
  const vacate = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/api/v1/hostel-allocations/{id}', { params: { path: { id } } })).data,
    onSuccess: refresh,
    onSettled: () => setConfirm(null),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    allocate.mutate();
  };
  const free = (rooms.data ?? []).filter((r) => r.free_beds > 0 && r.is_active);
  return (
    <>
      <section aria-labelledby="rooms-h">
        <h2 id="rooms-h">{H.rooms}</h2>
        <ErrorAlert error={rooms.error} />
        <RowsTable
          rows={rooms.data}
          pending={rooms.isPending && !rooms.error}
          columns={[H.room, H.beds, H.occupied, H.free]}
          row={(r) => (
            <tr key={r.id}>
              <td>
                {r.room_number} <small className="muted">{word(t.roles.values.room, r.room_type)}</small>
              </td>
              <td>{r.capacity}</td>
              <td>{r.occupied}</td>
              <td>{r.free_beds}</td>
            </tr>
          )}
        />
      </section>
      <form className="card form-grid" onSubmit={submit} aria-labelledby="alloc-h">
        <h2 id="alloc-h">{H.allocate}</h2>
        <StudentPicker
          label={t.roles.library.student}
          pickLabel={t.roles.library.pickStudent}
          value={student}
          onChange={setStudent}
        />
        <Field label={H.room}>
          {(id) => (
            <select id={id} value={roomId} onChange={(e) => setRoomId(e.target.value)}>
              <option value="">—</option>
              {free.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.room_number} ({r.free_beds})
                </option>
              ))}
            </select>
          )}
        </Field>
        <InputField label={H.year} placeholder="2026-27" value={year} onValue={(v) => setYear(v)} />
        <ErrorAlert error={allocate.error} />
        {allocate.data && (
          <Notice>{H.allocated(allocate.data.student_name, allocate.data.room_number)}</Notice>
        )}
        <Button type="submit" busy={allocate.isPending} disabled={allocate.isPending || !student || !roomId}>
          {H.allocate}
        </Button>
      </form>
      <section aria-labelledby="res-h">
        <h2 id="res-h">{H.residents}</h2>
        <ErrorAlert error={residents.error ?? vacate.error} />
        {vacate.data && <Notice>{H.vacated(vacate.data.student_name)}</Notice>}
        {residents.isPending && !residents.error ? (
          <Loading />
        ) : !residents.data?.length ? (
          <Empty />
        ) : (
          <ul className="roster">
            {residents.data.map((a) => (
              <li key={a.id}>
                {a.student_name} ({a.student_number}) · {H.room} {a.room_number} · {a.start_date}{' '}
                {confirm === a.id ? (
                  <span role="alertdialog" aria-label={H.confirmVacate(a.student_name)}>
                    {H.confirmVacate(a.student_name)}{' '}
                    <Button busy={vacate.isPending} onClick={() => vacate.mutate(a.id)}>
                      {H.vacate}
                    </Button>{' '}
                    <Button variant="ghost" onClick={() => setConfirm(null)}>
                      {t.common.cancel}
                    </Button>
                  </span>
                ) : (
                  <Button
                    variant="secondary"
                    onClick={() => setConfirm(a.id)}
                    aria-label={`${H.vacate}: ${a.student_name}`}
                  >
                    {H.vacate}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
