import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Field, InputField, Notice, Page, RowsTable } from '../../ui';
import { ClassSelect, ExportButtons, OrgSelect } from '../../ui-office';

type Exam = components['schemas']['ExamSchedule'];
type ExamType = Exam['exam_type'];
const EXAM_TYPES: ExamType[] = ['midterm', 'final', 'supplementary', 'improvement'];

/** Exam schedules (create, list) and each one's timetable: papers per class with date, time, venue. */
export function Exams() {
  const qc = useQueryClient();
  const exams = useQuery({
    queryKey: ['exams'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/exams', { params: { query: { page_size: 50 } } })).data,
  });
  const [selected, setSelected] = useState<Exam | null>(null);
  const [f, setF] = useState({
    organization_id: '',
    name: '',
    exam_type: 'midterm' as ExamType,
    status: 'draft' as 'draft' | 'scheduled',
    academic_year: String(new Date().getFullYear()),
    semester: '',
    start_date: '',
    end_date: '',
  });
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/exams', {
          body: {
            ...(f.organization_id ? { organization_id: f.organization_id } : {}),
            name: f.name.trim(),
            exam_type: f.exam_type,
            status: f.status,
            academic_year: f.academic_year.trim(),
            ...(f.semester ? { semester: Number(f.semester) } : {}),
            start_date: f.start_date,
            end_date: f.end_date,
          },
        }),
      ).data,
    onSuccess: (e) => {
      setSelected(e);
      void qc.invalidateQueries({ queryKey: ['exams'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Page title={t.office.exams.title}>
      <ErrorAlert error={exams.error} />
      <RowsTable
        rows={exams.data}
        pending={exams.isPending}
        columns={[
          t.office.exams.name,
          t.office.exams.type,
          t.office.exams.dates,
          t.office.exams.status,
          t.office.exams.papers,
        ]}
        row={(x) => (
          <tr key={x.id}>
            <td>
              <Button variant="ghost" aria-pressed={selected?.id === x.id} onClick={() => setSelected(x)}>
                {x.name}
              </Button>
            </td>
            <td>{t.office.exams.types[x.exam_type]}</td>
            <td>
              {x.start_date} – {x.end_date}
            </td>
            <td>{t.office.exams.statuses[x.status]}</td>
            <td>{x.entry_count}</td>
          </tr>
        )}
      />
      <form className="card form-grid" onSubmit={submit} aria-labelledby="ex-h">
        <h2 id="ex-h">{t.office.exams.create}</h2>
        <ErrorAlert error={create.error} />
        <OrgSelect
          label={t.office.scales.organization}
          value={f.organization_id}
          onChange={(v) => setF({ ...f, organization_id: v })}
        />
        <InputField
          label={t.office.exams.name}
          required
          value={f.name}
          onValue={(v) => setF({ ...f, name: v })}
        />
        <Field label={t.office.exams.type}>
          {(id) => (
            <select
              id={id}
              value={f.exam_type}
              onChange={(e) => setF({ ...f, exam_type: e.target.value as ExamType })}
            >
              {EXAM_TYPES.map((x) => (
                <option key={x} value={x}>
                  {t.office.exams.types[x]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.office.exams.status}>
          {(id) => (
            <select
              id={id}
              value={f.status}
              onChange={(e) => setF({ ...f, status: e.target.value as typeof f.status })}
            >
              <option value="draft">{t.office.exams.statuses.draft}</option>
              <option value="scheduled">{t.office.exams.statuses.scheduled}</option>
            </select>
          )}
        </Field>
        <Field label={t.office.fees.academicYear} hint={t.office.exams.yearHint}>
          {(id, hint) => (
            <input
              id={id}
              required
              aria-describedby={hint}
              value={f.academic_year}
              onChange={(e) => setF({ ...f, academic_year: e.target.value })}
            />
          )}
        </Field>
        <InputField
          label={t.office.fees.semester}
          type="number"
          min={1}
          max={12}
          value={f.semester}
          onValue={(v) => setF({ ...f, semester: v })}
        />
        <InputField
          label={t.office.exams.start}
          type="date"
          required
          value={f.start_date}
          onValue={(v) => setF({ ...f, start_date: v })}
        />
        <InputField
          label={t.office.exams.end}
          type="date"
          required
          value={f.end_date}
          onValue={(v) => setF({ ...f, end_date: v })}
        />
        <Button type="submit" busy={create.isPending}>
          {t.office.exams.create}
        </Button>
      </form>
      {selected && <ExamTimetable key={selected.id} exam={selected} />}
    </Page>
  );
}

/** One exam's papers, adding a paper (clash-checked by the API), and the venues it may use. */
function ExamTimetable({ exam }: { exam: Exam }) {
  const qc = useQueryClient();
  const entries = useQuery({
    queryKey: ['exam-timetable', exam.id],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/exam-timetable', {
          params: { query: { exam_schedule_id: exam.id, page_size: 100 } },
        }),
      ).data,
  });
  const venues = useQuery({
    queryKey: ['exam-venues', exam.organization_id],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/exam-venues', {
          params: { query: { organization_id: exam.organization_id, is_active: true, page_size: 100 } },
        }),
      ).data,
  });
  const [p, setP] = useState({
    class_id: '',
    date: exam.start_date,
    start_time: '09:00',
    duration: '120',
    venue: '',
    max_marks: '100',
  });
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/exam-timetable', {
          body: {
            exam_schedule_id: exam.id,
            class_id: p.class_id,
            date: p.date,
            start_time: p.start_time,
            duration: Number(p.duration),
            venue: p.venue || (venues.data?.[0]?.name ?? ''),
            max_marks: Number(p.max_marks),
          },
        }),
      ).data,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['exam-timetable', exam.id] });
      void qc.invalidateQueries({ queryKey: ['exams'] });
    },
  });
  const [venueName, setVenueName] = useState('');
  const [capacity, setCapacity] = useState('');
  const addVenue = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/exam-venues', {
          body: { organization_id: exam.organization_id, name: venueName.trim(), capacity: Number(capacity) },
        }),
      ).data,
    onSuccess: (v) => {
      setVenueName('');
      setCapacity('');
      setP((x) => ({ ...x, venue: v.name }));
      void qc.invalidateQueries({ queryKey: ['exam-venues', exam.organization_id] });
    },
  });
  return (
    <section className="card" aria-labelledby="tt-h">
      <h2 id="tt-h">{t.office.exams.timetable(exam.name)}</h2>
      <ErrorAlert error={entries.error ?? venues.error} />
      {add.isSuccess && <Notice>{t.office.exams.added}</Notice>}
      <RowsTable
        rows={entries.data}
        pending={entries.isPending}
        columns={[
          t.fees.date,
          t.office.exams.time,
          t.office.compliance.class,
          t.office.exams.venue,
          t.office.exams.candidates,
          t.office.exams.maxMarks,
        ]}
        row={(e) => (
          <tr key={e.id}>
            <td>{e.date}</td>
            <td>
              {e.start_time}–{e.end_time}
            </td>
            <td>
              {e.class_name}
              {e.course_code ? ` (${e.course_code})` : ''}
            </td>
            <td>{e.venue}</td>
            <td>{e.student_count}</td>
            <td>{e.max_marks}</td>
          </tr>
        )}
      />
      <ExportButtons
        path="/api/v1/exam-timetable/export"
        query={{ exam_schedule_id: exam.id }}
        name="exam-timetable"
      />
      <form
        className="form-grid"
        aria-label={t.office.exams.addPaper}
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <h3>{t.office.exams.addPaper}</h3>
        <ErrorAlert error={add.error} />
        <ClassSelect
          label={t.office.compliance.class}
          organizationId={exam.organization_id}
          value={p.class_id}
          onChange={(v) => setP({ ...p, class_id: v })}
        />
        <InputField
          label={t.fees.date}
          type="date"
          required
          min={exam.start_date}
          max={exam.end_date}
          value={p.date}
          onValue={(v) => setP({ ...p, date: v })}
        />
        <InputField
          label={t.office.exams.startTime}
          type="time"
          required
          value={p.start_time}
          onValue={(v) => setP({ ...p, start_time: v })}
        />
        <InputField
          label={t.office.exams.duration}
          type="number"
          min={15}
          max={720}
          required
          value={p.duration}
          onValue={(v) => setP({ ...p, duration: v })}
        />
        <Field label={t.office.exams.venue}>
          {(id) => (
            <select
              id={id}
              value={p.venue || (venues.data?.[0]?.name ?? '')}
              onChange={(e) => setP({ ...p, venue: e.target.value })}
            >
              {(venues.data ?? []).map((v) => (
                <option key={v.id} value={v.name}>
                  {v.name} ({v.capacity})
                </option>
              ))}
            </select>
          )}
        </Field>
        <InputField
          label={t.office.exams.maxMarks}
          type="number"
          min={1}
          required
          value={p.max_marks}
          onValue={(v) => setP({ ...p, max_marks: v })}
        />
        <Button type="submit" busy={add.isPending} disabled={!p.class_id || !venues.data?.length}>
          {t.office.exams.addPaper}
        </Button>
      </form>
      <form
        className="form-grid"
        aria-label={t.office.exams.addVenue}
        onSubmit={(e) => {
          e.preventDefault();
          addVenue.mutate();
        }}
      >
        <h3>{t.office.exams.addVenue}</h3>
        <ErrorAlert error={addVenue.error} />
        <InputField
          label={t.office.exams.venueName}
          required
          value={venueName}
          onValue={(v) => setVenueName(v)}
        />
        <InputField
          label={t.office.exams.capacity}
          type="number"
          min={1}
          required
          value={capacity}
          onValue={(v) => setCapacity(v)}
        />
        <Button type="submit" variant="secondary" busy={addVenue.isPending}>
          {t.office.exams.addVenue}
        </Button>
      </form>
    </section>
  );
}
