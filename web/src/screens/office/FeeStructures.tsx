import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Field, InputField, Notice, Page, RowsTable } from '../../ui';
import { ClassSelect } from '../../ui-office';
import { Pager } from '../Classes';

type FeeStructure = components['schemas']['FeeStructure'];
type TargetKind = 'class_id' | 'program_id' | 'course_id';
interface Line {
  name: string;
  amount: string;
}
interface Installment {
  due_date: string;
  amount: string;
}
interface Draft {
  id?: string;
  kind: TargetKind;
  target: string;
  name: string;
  academic_year: string;
  semester: string;
  due_date: string;
  components: Line[];
  installments: Installment[];
}

const empty = (): Draft => ({
  kind: 'class_id',
  target: '',
  name: '',
  academic_year: String(new Date().getFullYear()),
  semester: '',
  due_date: '',
  components: [{ name: '', amount: '' }],
  installments: [],
});

const draftOf = (f: FeeStructure): Draft => ({
  id: f.id,
  kind: f.class_id ? 'class_id' : f.program_id ? 'program_id' : 'course_id',
  target: f.class_id ?? f.program_id ?? f.course_id ?? '',
  name: f.name,
  academic_year: f.academic_year,
  semester: f.semester === null ? '' : String(f.semester),
  due_date: f.due_date,
  components: f.components.map((c) => ({ ...c })),
  installments: (f.installments ?? []).map((i) => ({ ...i })),
});

/** Fee structures per class, program or course and term: create, edit (amounts until applied), apply, delete. */
export function FeeStructures() {
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['fee-structures', page],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/fee-structures', { params: { query: { page, page_size: 20 } } })),
  });
  const programs = useQuery({
    queryKey: ['programs-pick'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/programs', { params: { query: { page_size: 100 } } })).data,
  });
  const courses = useQuery({
    queryKey: ['courses-pick'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/courses', { params: { query: { page_size: 100 } } })).data,
  });
  const [draft, setDraft] = useState<Draft | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['fee-structures'] });
  const save = useMutation({
    mutationFn: async (d: Draft) => {
      const common = {
        name: d.name.trim() || undefined,
        academic_year: d.academic_year.trim(),
        due_date: d.due_date,
        components: d.components.map((c) => ({ name: c.name.trim(), amount: c.amount.trim() })),
      };
      const installments = d.installments.length
        ? d.installments.map((i) => ({ due_date: i.due_date, amount: i.amount.trim() }))
        : undefined;
      if (d.id) {
        return unwrap(
          await api.PUT('/api/v1/fee-structures/{id}', {
            params: { path: { id: d.id } },
            body: {
              ...common,
              semester: d.semester ? Number(d.semester) : null,
              installments: installments ?? null,
            },
          }),
        ).data;
      }
      return unwrap(
        await api.POST('/api/v1/fee-structures', {
          body: {
            ...common,
            [d.kind]: d.target,
            ...(d.semester ? { semester: Number(d.semester) } : {}),
            ...(installments ? { installments } : {}),
          },
        }),
      ).data;
    },
    onSuccess: () => {
      setDraft(null);
      refresh();
    },
  });
  const apply = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/api/v1/fee-structures/{id}/apply', { params: { path: { id } } })).data,
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: async (id: string) => {
      const res = await api.DELETE('/api/v1/fee-structures/{id}', { params: { path: { id } } });
      if (!res.response.ok) unwrap(res);
    },
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };
  const set = (p: Partial<Draft>) => draft && setDraft({ ...draft, ...p });
  const targetName = (f: FeeStructure) =>
    f.class_id
      ? t.office.fees.forClass
      : f.program_id
        ? `${t.office.fees.forProgram}: ${programs.data?.find((p) => p.id === f.program_id)?.name ?? ''}`
        : `${t.office.fees.forCourse}: ${courses.data?.find((c) => c.id === f.course_id)?.code ?? ''}`;

  return (
    <Page
      title={t.office.fees.structures}
      actions={
        !draft && (
          <Button
            onClick={() => {
              save.reset();
              setDraft(empty());
            }}
          >
            {t.office.fees.newStructure}
          </Button>
        )
      }
    >
      <ErrorAlert error={list.error ?? apply.error ?? remove.error} />
      {save.isSuccess && <Notice>{t.common.saved}</Notice>}
      {apply.data && (
        <Notice>
          {t.office.fees.applied(
            apply.data.students_charged,
            apply.data.entries_created,
            apply.data.already_charged,
          )}
        </Notice>
      )}
      {draft && (
        <form className="card form-grid" onSubmit={submit} aria-labelledby="fs-h">
          <h2 id="fs-h">{draft.id ? t.office.fees.editStructure : t.office.fees.newStructure}</h2>
          <ErrorAlert error={save.error} />
          {!draft.id && (
            <>
              <Field label={t.office.fees.appliesTo}>
                {(id) => (
                  <select
                    id={id}
                    value={draft.kind}
                    onChange={(e) => set({ kind: e.target.value as TargetKind, target: '' })}
                  >
                    <option value="class_id">{t.office.fees.forClass}</option>
                    <option value="program_id">{t.office.fees.forProgram}</option>
                    <option value="course_id">{t.office.fees.forCourse}</option>
                  </select>
                )}
              </Field>
              {draft.kind === 'class_id' ? (
                <ClassSelect
                  label={t.office.fees.class}
                  value={draft.target}
                  onChange={(v) => set({ target: v })}
                />
              ) : (
                <Field label={draft.kind === 'program_id' ? t.office.fees.program : t.office.fees.course}>
                  {(id) => (
                    <select id={id} value={draft.target} onChange={(e) => set({ target: e.target.value })}>
                      <option value="">{t.office.choose}</option>
                      {(draft.kind === 'program_id' ? (programs.data ?? []) : (courses.data ?? [])).map(
                        (o) => (
                          <option key={o.id} value={o.id}>
                            {o.code} {o.name}
                          </option>
                        ),
                      )}
                    </select>
                  )}
                </Field>
              )}
            </>
          )}
          <InputField label={t.office.fees.name} value={draft.name} onValue={(v) => set({ name: v })} />
          <InputField
            label={t.office.fees.academicYear}
            required
            value={draft.academic_year}
            onValue={(v) => set({ academic_year: v })}
          />
          <InputField
            label={t.office.fees.semester}
            type="number"
            min={1}
            max={20}
            value={draft.semester}
            onValue={(v) => set({ semester: v })}
          />
          <InputField
            label={t.office.fees.dueDate}
            type="date"
            required
            value={draft.due_date}
            onValue={(v) => set({ due_date: v })}
          />
          <fieldset className="rows-editor">
            <legend>{t.office.fees.components}</legend>
            {draft.components.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
              <div className="inline-form" key={i}>
                <Field label={t.office.fees.componentName(i + 1)}>
                  {(id) => (
                    <input
                      id={id}
                      required
                      value={c.name}
                      onChange={(e) =>
                        set({
                          components: draft.components.map((x, j) =>
                            j === i ? { ...x, name: e.target.value } : x,
                          ),
                        })
                      }
                    />
                  )}
                </Field>
                <Field label={t.office.fees.componentAmount(i + 1)}>
                  {(id) => (
                    <input
                      id={id}
                      required
                      inputMode="decimal"
                      value={c.amount}
                      onChange={(e) =>
                        set({
                          components: draft.components.map((x, j) =>
                            j === i ? { ...x, amount: e.target.value } : x,
                          ),
                        })
                      }
                    />
                  )}
                </Field>
                {draft.components.length > 1 && (
                  <Button
                    variant="ghost"
                    onClick={() => set({ components: draft.components.filter((_, j) => j !== i) })}
                  >
                    {t.office.remove}
                  </Button>
                )}
              </div>
            ))}
            <Button
              variant="secondary"
              onClick={() => set({ components: [...draft.components, { name: '', amount: '' }] })}
            >
              {t.office.fees.addComponent}
            </Button>
          </fieldset>
          <fieldset className="rows-editor">
            <legend>{t.office.fees.installments}</legend>
            <small className="hint">{t.office.fees.installmentsHint}</small>
            {draft.installments.map((x, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
              <div className="inline-form" key={i}>
                <Field label={t.office.fees.installmentDue(i + 1)}>
                  {(id) => (
                    <input
                      id={id}
                      type="date"
                      required
                      value={x.due_date}
                      onChange={(e) =>
                        set({
                          installments: draft.installments.map((y, j) =>
                            j === i ? { ...y, due_date: e.target.value } : y,
                          ),
                        })
                      }
                    />
                  )}
                </Field>
                <Field label={t.office.fees.installmentAmount(i + 1)}>
                  {(id) => (
                    <input
                      id={id}
                      required
                      inputMode="decimal"
                      value={x.amount}
                      onChange={(e) =>
                        set({
                          installments: draft.installments.map((y, j) =>
                            j === i ? { ...y, amount: e.target.value } : y,
                          ),
                        })
                      }
                    />
                  )}
                </Field>
                <Button
                  variant="ghost"
                  onClick={() => set({ installments: draft.installments.filter((_, j) => j !== i) })}
                >
                  {t.office.remove}
                </Button>
              </div>
            ))}
            <Button
              variant="secondary"
              onClick={() => set({ installments: [...draft.installments, { due_date: '', amount: '' }] })}
            >
              {t.office.fees.addInstallment}
            </Button>
          </fieldset>
          <div className="actions">
            <Button type="submit" busy={save.isPending} disabled={!draft.id && !draft.target}>
              {t.common.save}
            </Button>
            <Button variant="ghost" onClick={() => setDraft(null)}>
              {t.common.cancel}
            </Button>
          </div>
        </form>
      )}
      <RowsTable
        rows={list.data?.data}
        pending={list.isPending}
        columns={[
          t.office.fees.name,
          t.office.fees.appliesTo,
          t.office.fees.academicYear,
          t.office.fees.dueDate,
          t.office.fees.total,
          t.office.actions,
        ]}
        row={(f) => (
          <tr key={f.id}>
            <td>{f.name}</td>
            <td>{targetName(f)}</td>
            <td>
              {f.academic_year}
              {f.semester ? ` · ${t.office.fees.semester} ${f.semester}` : ''}
            </td>
            <td>{f.due_date}</td>
            <td>
              {f.total} {f.currency}
            </td>
            <td>
              <div className="actions">
                <Button variant="secondary" onClick={() => setDraft(draftOf(f))}>
                  {t.office.edit}
                </Button>
                <Button busy={apply.isPending && apply.variables === f.id} onClick={() => apply.mutate(f.id)}>
                  {t.office.fees.apply}
                </Button>
                <Button
                  variant="ghost"
                  onClick={() => {
                    if (confirm(t.office.fees.confirmDelete(f.name))) remove.mutate(f.id);
                  }}
                >
                  {t.office.delete}
                </Button>
              </div>
            </td>
          </tr>
        )}
      />
      {list.data && <Pager page={page} pages={list.data.meta.page_count} onPage={setPage} />}
    </Page>
  );
}
