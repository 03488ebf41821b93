import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { t } from '../../i18n/en';
import { navigate } from '../../router';
import { Button, ErrorAlert, Field, Notice } from '../../ui';
import { ConfirmButton, noContent, orNull } from '../../ui-admin';

type Class = components['schemas']['Class'];

const editable = (c: Class) => ({
  name: c.name,
  section: c.section ?? '',
  room: c.room ?? '',
  capacity: c.capacity === null ? '' : String(c.capacity),
  grade_level: c.grade_level ?? '',
  is_active: c.is_active,
  allow_self_enrollment: c.allow_self_enrollment,
});

/** Office: edit a class's details, or delete it (refused with the reason while anything refers to it). */
export function ClassEditor({ cls }: { cls: Class }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [f, setF] = useState(() => editable(cls));
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/api/v1/classes/{id}', {
          params: { path: { id: cls.id } },
          body: {
            name: f.name.trim(),
            section: orNull(f.section),
            room: orNull(f.room),
            grade_level: orNull(f.grade_level),
            capacity: f.capacity === '' ? null : Number(f.capacity),
            is_active: f.is_active,
            allow_self_enrollment: f.allow_self_enrollment,
          },
        }),
      ).data,
    onSuccess: (c) => {
      qc.setQueryData(['class', cls.id], c);
      void qc.invalidateQueries({ queryKey: ['classes'] });
      setOpen(false);
    },
  });
  const remove = useMutation({
    mutationFn: async () =>
      noContent(await api.DELETE('/api/v1/classes/{id}', { params: { path: { id: cls.id } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['classes'] });
      navigate('/classes');
    },
  });
  const set =
    (k: 'name' | 'section' | 'room' | 'capacity' | 'grade_level') => (e: { target: { value: string } }) =>
      setF({ ...f, [k]: e.target.value });
  return (
    <section className="card" aria-labelledby="class-admin-h">
      <h2 id="class-admin-h">{t.admin.classes.edit}</h2>
      <ErrorAlert error={save.error ?? remove.error} />
      {save.isSuccess && !open && <Notice>{t.admin.classes.saved}</Notice>}
      {open ? (
        <form
          className="form-grid"
          aria-label={t.admin.classes.edit}
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Field label={t.classes.name}>
            {(id) => <input id={id} required value={f.name} onChange={set('name')} />}
          </Field>
          <Field label={t.classes.section}>
            {(id) => <input id={id} value={f.section} onChange={set('section')} />}
          </Field>
          <Field label={t.classes.room}>
            {(id) => <input id={id} value={f.room} onChange={set('room')} />}
          </Field>
          <Field label={t.classes.capacity}>
            {(id) => (
              <input
                id={id}
                type="number"
                min={0}
                inputMode="numeric"
                value={f.capacity}
                onChange={set('capacity')}
              />
            )}
          </Field>
          <Field label={t.admin.student.gradeLevel}>
            {(id) => <input id={id} value={f.grade_level} onChange={set('grade_level')} />}
          </Field>
          <label className="check">
            <input
              type="checkbox"
              checked={f.is_active}
              onChange={(e) => setF({ ...f, is_active: e.target.checked })}
            />
            {t.admin.classes.active}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={f.allow_self_enrollment}
              onChange={(e) => setF({ ...f, allow_self_enrollment: e.target.checked })}
            />
            {t.admin.classes.selfEnrollment}
          </label>
          <div className="actions">
            <Button type="submit" busy={save.isPending} disabled={save.isPending}>
              {t.common.save}
            </Button>
            <Button variant="ghost" onClick={() => setOpen(false)}>
              {t.common.cancel}
            </Button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <Button
            variant="secondary"
            onClick={() => {
              setF(editable(cls));
              setOpen(true);
            }}
          >
            {t.admin.classes.edit}
          </Button>
          <ConfirmButton
            label={t.admin.classes.delete}
            question={t.admin.classes.deleteQ(cls.name)}
            busy={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </div>
      )}
    </section>
  );
}

/** What a row action reports to its screen: an error to show, or a notice. */
export interface RowResult {
  error?: unknown;
  notice?: string;
}

/** The roster's "remove" for one student: drops the enrollment (history kept). */
export function RosterRemove({
  classId,
  studentId,
  name,
  onResult,
}: {
  classId: string;
  studentId: string;
  name: string;
  onResult: (r: RowResult) => void;
}) {
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: async () =>
      noContent(
        await api.DELETE('/api/v1/classes/{id}/students/{student_id}', {
          params: { path: { id: classId, student_id: studentId } },
        }),
      ),
    onSuccess: () => {
      onResult({ notice: t.admin.classes.removed });
      void qc.invalidateQueries({ queryKey: ['roster', classId] });
      void qc.invalidateQueries({ queryKey: ['class', classId] });
    },
    onError: (error) => onResult({ error }),
  });
  return (
    <ConfirmButton
      label={t.admin.classes.remove(name)}
      text={t.admin.removeShort}
      question={t.admin.classes.removeQ}
      busy={remove.isPending}
      onConfirm={() => remove.mutate()}
    />
  );
}

/** One teacher's "unassign": deletes the teaching assignment. */
export function TeacherUnassign({
  classId,
  assignmentId,
  name,
  onResult,
}: {
  classId: string;
  assignmentId: string;
  name: string;
  onResult: (r: RowResult) => void;
}) {
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: async () =>
      noContent(
        await api.DELETE('/api/v1/teaching-assignments/{id}', { params: { path: { id: assignmentId } } }),
      ),
    onSuccess: () => {
      onResult({ notice: t.admin.classes.unassigned });
      void qc.invalidateQueries({ queryKey: ['class-teachers', classId] });
    },
    onError: (error) => onResult({ error }),
  });
  return (
    <ConfirmButton
      label={t.admin.classes.unassign(name)}
      text={t.admin.classes.unassignShort}
      question={t.admin.classes.unassignQ}
      busy={remove.isPending}
      onConfirm={() => remove.mutate()}
    />
  );
}
