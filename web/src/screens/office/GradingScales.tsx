import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Field, InputField, Notice, Page, RowsTable } from '../../ui';
import { OrgSelect } from '../../ui-office';

type Scale =
  paths['/api/v1/grading-scales']['get']['responses'][200]['content']['application/json']['data'][number];
type Band = Scale['bands'][number];
type Rounding = Scale['rounding_mode'];
const ROUNDING: Rounding[] = ['half_up', 'half_even', 'floor', 'ceil'];

/** Grading scales: the shipped ones and the organization's own (bands, rounding), and a course's override. */
export function GradingScales() {
  const qc = useQueryClient();
  const scales = useQuery({
    queryKey: ['grading-scales'],
    queryFn: async () => unwrap(await api.GET('/api/v1/grading-scales')).data,
  });
  const [orgId, setOrgId] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [rounding, setRounding] = useState<Rounding>('half_up');
  const [decimals, setDecimals] = useState('0');
  const [countFailed, setCountFailed] = useState(true);
  const [bands, setBands] = useState<Band[]>([
    { letter: '', min_percent: 0, grade_points: 0, is_passing: true },
  ]);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/grading-scales', {
          body: {
            organization_id: orgId,
            code: code.trim(),
            name: name.trim(),
            bands,
            rounding_mode: rounding,
            rounding_decimals: Number(decimals),
            count_failed_in_gpa: countFailed,
          },
        }),
      ).data,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['grading-scales'] }),
  });
  const startFrom = (id: string) => {
    const s = scales.data?.find((x) => x.id === id);
    if (!s) return;
    setBands(s.bands.map((b) => ({ ...b })));
    setRounding(s.rounding_mode);
    setDecimals(String(s.rounding_decimals));
    setCountFailed(s.count_failed_in_gpa);
  };
  const setBand = (i: number, p: Partial<Band>) =>
    setBands(bands.map((b, j) => (j === i ? { ...b, ...p } : b)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <Page title={t.office.scales.title}>
      <ErrorAlert error={scales.error} />
      <RowsTable
        rows={scales.data}
        pending={scales.isPending}
        columns={[
          t.office.scales.name,
          t.office.scales.code,
          t.office.scales.bands,
          t.office.scales.rounding,
        ]}
        row={(s) => (
          <tr key={s.id}>
            <td>
              {s.name} {s.is_builtin && <span className="muted">({t.office.scales.builtin})</span>}
            </td>
            <td>{s.code}</td>
            <td>{s.bands.map((b) => `${b.letter} ≥ ${b.min_percent}% (${b.grade_points})`).join(' · ')}</td>
            <td>
              {t.office.scales.roundingModes[s.rounding_mode]}, {s.rounding_decimals}
            </td>
          </tr>
        )}
      />
      <form className="card form-grid" onSubmit={submit} aria-labelledby="gs-h">
        <h2 id="gs-h">{t.office.scales.create}</h2>
        <ErrorAlert error={create.error} />
        {create.data && <Notice>{t.office.scales.created(create.data.name)}</Notice>}
        <OrgSelect label={t.office.scales.organization} value={orgId} onChange={setOrgId} />
        <Field label={t.office.scales.startFrom}>
          {(id) => (
            <select id={id} defaultValue="" onChange={(e) => startFrom(e.target.value)}>
              <option value="">{t.office.choose}</option>
              {(scales.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.office.scales.code} hint={t.office.scales.codeHint}>
          {(id, hint) => (
            <input
              id={id}
              required
              aria-describedby={hint}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
        <InputField label={t.office.scales.name} required value={name} onValue={(v) => setName(v)} />
        <Field label={t.office.scales.rounding}>
          {(id) => (
            <select id={id} value={rounding} onChange={(e) => setRounding(e.target.value as Rounding)}>
              {ROUNDING.map((r) => (
                <option key={r} value={r}>
                  {t.office.scales.roundingModes[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <InputField
          label={t.office.scales.decimals}
          type="number"
          min={0}
          max={4}
          value={decimals}
          onValue={(v) => setDecimals(v)}
        />
        <label className="check">
          <input type="checkbox" checked={countFailed} onChange={(e) => setCountFailed(e.target.checked)} />{' '}
          {t.office.scales.countFailed}
        </label>
        <fieldset className="rows-editor">
          <legend>{t.office.scales.bands}</legend>
          {bands.map((b, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: bands are edited in place, by position
            <div className="inline-form" key={i}>
              <InputField
                label={t.office.scales.letter(i + 1)}
                required
                size={4}
                value={b.letter}
                onValue={(v) => setBand(i, { letter: v })}
              />
              <InputField
                label={t.office.scales.minPercent(i + 1)}
                type="number"
                min={0}
                max={100}
                step="any"
                value={b.min_percent}
                onValue={(v) => setBand(i, { min_percent: Number(v) })}
              />
              <InputField
                label={t.office.scales.points(i + 1)}
                type="number"
                min={0}
                max={10}
                step="any"
                value={b.grade_points}
                onValue={(v) => setBand(i, { grade_points: Number(v) })}
              />
              <label className="check">
                <input
                  type="checkbox"
                  checked={b.is_passing}
                  onChange={(e) => setBand(i, { is_passing: e.target.checked })}
                />{' '}
                {t.office.scales.passing(i + 1)}
              </label>
              {bands.length > 1 && (
                <Button variant="ghost" onClick={() => setBands(bands.filter((_, j) => j !== i))}>
                  {t.office.remove}
                </Button>
              )}
            </div>
          ))}
          <Button
            variant="secondary"
            onClick={() =>
              setBands([...bands, { letter: '', min_percent: 0, grade_points: 0, is_passing: false }])
            }
          >
            {t.office.scales.addBand}
          </Button>
        </fieldset>
        <Button type="submit" busy={create.isPending} disabled={!orgId || create.isPending}>
          {t.office.scales.create}
        </Button>
      </form>
      <CourseOverride scales={scales.data ?? []} />
    </Page>
  );
}

/** A course's effective scale and where it comes from; set or remove the course's own override. */
function CourseOverride({ scales }: { scales: Scale[] }) {
  const qc = useQueryClient();
  const [courseId, setCourseId] = useState('');
  const [scaleId, setScaleId] = useState('');
  const courses = useQuery({
    queryKey: ['courses-pick'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/courses', { params: { query: { page_size: 100 } } })).data,
  });
  const current = useQuery({
    queryKey: ['course-scale', courseId],
    enabled: Boolean(courseId),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/courses/{id}/grading-scale', { params: { path: { id: courseId } } }))
        .data,
  });
  const done = () => void qc.invalidateQueries({ queryKey: ['course-scale', courseId] });
  const put = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/v1/courses/{id}/grading-scale', {
          params: { path: { id: courseId } },
          body: { grading_scale_id: scaleId },
        }),
      ).data,
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE('/api/v1/courses/{id}/grading-scale', { params: { path: { id: courseId } } }))
        .data,
    onSuccess: done,
  });
  const effective = scales.find((s) => s.id === current.data?.grading_scale_id);
  return (
    <section className="card" aria-labelledby="ov-h">
      <h2 id="ov-h">{t.office.scales.override}</h2>
      <ErrorAlert error={courses.error ?? current.error ?? put.error ?? remove.error} />
      <div className="form-grid">
        <Field label={t.office.fees.course}>
          {(id) => (
            <select id={id} value={courseId} onChange={(e) => setCourseId(e.target.value)}>
              <option value="">{t.office.choose}</option>
              {(courses.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.code} {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.office.scales.scale}>
          {(id) => (
            <select id={id} value={scaleId} onChange={(e) => setScaleId(e.target.value)}>
              <option value="">{t.office.choose}</option>
              {scales.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Button disabled={!courseId || !scaleId} busy={put.isPending} onClick={() => put.mutate()}>
          {t.office.scales.setOverride}
        </Button>
        {current.data?.source === 'course' && (
          <Button variant="ghost" busy={remove.isPending} onClick={() => remove.mutate()}>
            {t.office.scales.removeOverride}
          </Button>
        )}
      </div>
      {current.data && (
        <p data-testid="course-scale">
          {t.office.scales.effective(
            effective?.name ?? current.data.grading_scale_id,
            t.office.scales.sources[current.data.source],
          )}
        </p>
      )}
    </section>
  );
}
