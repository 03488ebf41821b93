import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, download, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { t } from '../../i18n/en';
import { Button, Empty, ErrorAlert, Field, Notice, RowsTable } from '../../ui';
import { ConfirmButton, noContent, postForm, useAuthedImage } from '../../ui-admin';

type Student = components['schemas']['Student'];
type Doc = components['schemas']['Document'];

/** The student's photo (fetched with the session) and uploading a new one (JPEG, PNG or WebP, ≤ 5 MB). */
export function StudentPhoto({ student, canEdit }: { student: Student; canEdit: boolean }) {
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const src = useAuthedImage(
    student.has_photo ? `/api/v1/students/${student.id}/photo` : null,
    student.updated_at,
  );
  const upload = useMutation({
    mutationFn: async () => {
      const form = new FormData();
      if (file) form.set('file', file, file.name);
      return postForm<{ content_type: string; size: number }>(
        `/api/v1/students/${student.id}/upload-photo`,
        form,
      );
    },
    onSuccess: () => {
      setFile(null);
      setInputKey((k) => k + 1);
      void qc.invalidateQueries({ queryKey: ['student', student.id] });
    },
  });
  const name = `${student.first_name} ${student.last_name}`;
  return (
    <section className="card photo-card" aria-labelledby="photo-h">
      <h2 id="photo-h">{t.admin.photo.title}</h2>
      {src ? (
        <img className="photo" src={src} alt={t.admin.photo.alt(name)} />
      ) : (
        <Empty>{t.admin.photo.none}</Empty>
      )}
      {canEdit && (
        <form
          className="inline-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            upload.mutate();
          }}
        >
          <ErrorAlert error={upload.error} />
          {upload.isSuccess && <Notice>{t.admin.photo.uploaded}</Notice>}
          <Field label={t.admin.photo.file}>
            {(id) => (
              <input
                key={inputKey}
                id={id}
                type="file"
                accept="image/jpeg,image/png,image/webp"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            )}
          </Field>
          <Button
            type="submit"
            variant="secondary"
            busy={upload.isPending}
            disabled={!file || upload.isPending}
          >
            {t.admin.photo.upload}
          </Button>
        </form>
      )}
    </section>
  );
}

/** The student's guardians: unlink; link an existing guardian found by name; create one and link it. */
export function StudentGuardians({ student, canEdit }: { student: Student; canEdit: boolean }) {
  const qc = useQueryClient();
  const id = student.id;
  const guardians = useQuery({
    queryKey: ['student-guardians', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/students/{id}/guardians', { params: { path: { id } } })).data,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['student-guardians', id] });
  const unlink = useMutation({
    mutationFn: async (guardian_id: string) =>
      noContent(
        await api.DELETE('/api/v1/students/{id}/guardians/{guardian_id}', {
          params: { path: { id, guardian_id } },
        }),
      ),
    onSuccess: refresh,
  });
  const [mode, setMode] = useState<'none' | 'link' | 'create'>('none');
  return (
    <section className="card" aria-labelledby="grd-h">
      <h2 id="grd-h">{t.profile.guardians}</h2>
      <ErrorAlert error={guardians.error ?? unlink.error} />
      {unlink.isSuccess && <Notice>{t.admin.guardians.unlinked}</Notice>}
      {guardians.data?.length ? (
        <ul className="roster" aria-label={t.profile.guardians}>
          {guardians.data.map((g) => (
            <li key={g.id}>
              <span>
                {g.first_name} {g.last_name} · {g.relationship}
                {g.is_primary ? ` · ${t.admin.guardians.primary}` : ''}
                {g.email ? <span className="muted"> {g.email}</span> : null}
              </span>
              {canEdit && (
                <ConfirmButton
                  label={t.admin.guardians.unlink(`${g.first_name} ${g.last_name}`)}
                  text={t.admin.guardians.unlinkShort}
                  question={t.admin.guardians.unlinkQ}
                  busy={unlink.isPending}
                  onConfirm={() => unlink.mutate(g.id)}
                />
              )}
            </li>
          ))}
        </ul>
      ) : guardians.isPending ? null : (
        <Empty />
      )}
      {canEdit && mode === 'none' && (
        <div className="actions">
          <Button variant="secondary" onClick={() => setMode('link')}>
            {t.admin.guardians.linkExisting}
          </Button>
          <Button variant="secondary" onClick={() => setMode('create')}>
            {t.admin.guardians.createNew}
          </Button>
        </div>
      )}
      {canEdit && mode !== 'none' && (
        <GuardianLinker
          student={student}
          create={mode === 'create'}
          onDone={() => {
            setMode('none');
            refresh();
          }}
        />
      )}
    </section>
  );
}

function GuardianLinker({
  student,
  create,
  onDone,
}: {
  student: Student;
  create: boolean;
  onDone: () => void;
}) {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const found = useQuery({
    queryKey: ['guardians-find', search],
    enabled: !create && search.length > 0,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/guardians', { params: { query: { search, page_size: 20 } } })).data,
  });
  const [guardianId, setGuardianId] = useState('');
  const [relationship, setRelationship] = useState('');
  const [primary, setPrimary] = useState(false);
  const [g, setG] = useState({
    first_name: '',
    last_name: '',
    email: '',
    occupation: '',
    login: false,
    username: '',
  });
  const link = useMutation({
    mutationFn: async () => {
      let gid = guardianId;
      if (create) {
        // Two requests: the guardian exists even if the link is then refused (link it again from here).
        const made = unwrap(
          await api.POST('/api/v1/guardians', {
            body: {
              organization_id: student.organization_id,
              first_name: g.first_name.trim(),
              last_name: g.last_name.trim(),
              ...(g.email.trim() ? { email: g.email.trim() } : {}),
              ...(g.occupation.trim() ? { occupation: g.occupation.trim() } : {}),
              ...(g.login && g.email.trim() ? { login: { username: g.username.trim() } } : {}),
            },
          }),
        ).data;
        gid = made.id;
      }
      return unwrap(
        await api.POST('/api/v1/students/{id}/guardians', {
          params: { path: { id: student.id } },
          body: { guardian_id: gid, relationship: relationship.trim(), is_primary: primary },
        }),
      ).data;
    },
    onSuccess: onDone,
  });
  const setGuardian = (k: keyof typeof g) => (e: { target: { value: string } }) =>
    setG({ ...g, [k]: e.target.value });
  return (
    <div className="subcard">
      {!create && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(q.trim());
          }}
        >
          <Field label={t.admin.guardians.find}>
            {(fid) => <input id={fid} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
          </Field>
          <Button type="submit" variant="secondary">
            {t.common.search}
          </Button>
        </form>
      )}
      <form
        className="form-grid"
        aria-label={create ? t.admin.guardians.createNew : t.admin.guardians.linkExisting}
        onSubmit={(e) => {
          e.preventDefault();
          link.mutate();
        }}
      >
        <ErrorAlert error={found.error ?? link.error} />
        {!create && found.data && (
          <Field label={t.admin.guardians.guardian}>
            {(fid) =>
              found.data.length === 0 ? (
                <Empty />
              ) : (
                <select id={fid} required value={guardianId} onChange={(e) => setGuardianId(e.target.value)}>
                  <option value="">{t.admin.choose}</option>
                  {found.data.map((x) => (
                    <option key={x.id} value={x.id}>
                      {x.first_name} {x.last_name}
                      {x.email ? ` (${x.email})` : ''}
                    </option>
                  ))}
                </select>
              )
            }
          </Field>
        )}
        {create && (
          <>
            <Field label={t.admin.student.firstName}>
              {(fid) => <input id={fid} required value={g.first_name} onChange={setGuardian('first_name')} />}
            </Field>
            <Field label={t.admin.student.lastName}>
              {(fid) => <input id={fid} required value={g.last_name} onChange={setGuardian('last_name')} />}
            </Field>
            <Field label={t.students.email}>
              {(fid) => <input id={fid} type="email" value={g.email} onChange={setGuardian('email')} />}
            </Field>
            <Field label={t.admin.guardians.occupation}>
              {(fid) => <input id={fid} value={g.occupation} onChange={setGuardian('occupation')} />}
            </Field>
            <label className="check">
              <input
                type="checkbox"
                checked={g.login && Boolean(g.email.trim())}
                disabled={!g.email.trim()}
                onChange={(e) => setG({ ...g, login: e.target.checked })}
              />
              {t.admin.guardians.parentLogin}
            </label>
            {g.login && g.email.trim() && (
              <Field label={t.org.username}>
                {(fid) => (
                  <input
                    id={fid}
                    required
                    autoComplete="off"
                    value={g.username}
                    onChange={setGuardian('username')}
                  />
                )}
              </Field>
            )}
          </>
        )}
        <Field label={t.profile.relationship} hint={t.admin.guardians.relationshipHint}>
          {(fid, hint) => (
            <input
              id={fid}
              required
              aria-describedby={hint}
              value={relationship}
              onChange={(e) => setRelationship(e.target.value)}
            />
          )}
        </Field>
        <label className="check">
          <input type="checkbox" checked={primary} onChange={(e) => setPrimary(e.target.checked)} />
          {t.admin.guardians.primaryContact}
        </label>
        <div className="actions">
          <Button type="submit" busy={link.isPending} disabled={link.isPending || (!create && !guardianId)}>
            {create ? t.admin.guardians.createAndLink : t.admin.guardians.link}
          </Button>
          <Button variant="ghost" onClick={onDone}>
            {t.common.cancel}
          </Button>
        </div>
      </form>
    </div>
  );
}

/** The student's documents: download, delete (the uploader or the records office), upload a new one. */
export function StudentDocuments({ student, canEdit }: { student: Student; canEdit: boolean }) {
  const qc = useQueryClient();
  const id = student.id;
  const docs = useQuery({
    queryKey: ['student-documents', id],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/students/{id}/documents', {
          params: { path: { id }, query: { page_size: 100 } },
        }),
      ).data,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['student-documents', id] });
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const remove = useMutation({
    mutationFn: async (docId: string) =>
      noContent(await api.DELETE('/api/v1/documents/{id}', { params: { path: { id: docId } } })),
    onSuccess: refresh,
  });
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [type, setType] = useState('');
  const [inputKey, setInputKey] = useState(0);
  const upload = useMutation({
    mutationFn: async () => {
      const form = new FormData();
      form.set('related_entity_type', 'student');
      form.set('related_entity_id', id);
      if (title.trim()) form.set('title', title.trim());
      if (type.trim()) form.set('document_type', type.trim().toLowerCase());
      if (file) form.set('file', file, file.name);
      return postForm<Doc>('/api/v1/documents/upload', form);
    },
    onSuccess: () => {
      setFile(null);
      setTitle('');
      setType('');
      setInputKey((k) => k + 1);
      refresh();
    },
  });
  return (
    <section className="card" aria-labelledby="doc-h">
      <h2 id="doc-h">{t.profile.documents}</h2>
      <ErrorAlert error={docs.error ?? remove.error ?? downloadError} />
      {remove.isSuccess && <Notice>{t.admin.documents.deleted}</Notice>}
      <RowsTable
        rows={docs.data}
        pending={docs.isPending}
        columns={[t.admin.documents.title, t.admin.documents.type, t.admin.documents.size, '']}
        row={(d: Doc) => (
          <tr key={d.id}>
            <td>
              {d.title} <span className="muted">{d.file_name}</span>
            </td>
            <td>{d.document_type}</td>
            <td>{t.admin.documents.bytes(d.size)}</td>
            <td className="actions">
              <Button
                variant="secondary"
                aria-label={t.admin.documents.download(d.title)}
                onClick={() =>
                  download(`/api/v1/documents/${d.id}/download`, d.file_name).catch(setDownloadError)
                }
              >
                {t.common.download}
              </Button>
              {canEdit && (
                <ConfirmButton
                  label={t.admin.documents.delete(d.title)}
                  text={t.admin.deleteShort}
                  question={t.admin.documents.deleteQ}
                  busy={remove.isPending}
                  onConfirm={() => remove.mutate(d.id)}
                />
              )}
            </td>
          </tr>
        )}
      />
      {canEdit && (
        <form
          className="form-grid"
          aria-label={t.admin.documents.upload}
          onSubmit={(e) => {
            e.preventDefault();
            upload.mutate();
          }}
        >
          <ErrorAlert error={upload.error} />
          {upload.data && <Notice>{t.admin.documents.uploaded(upload.data.title)}</Notice>}
          <Field label={t.admin.documents.file} hint={t.admin.documents.fileHint}>
            {(fid, hint) => (
              <input
                key={inputKey}
                id={fid}
                type="file"
                aria-describedby={hint}
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            )}
          </Field>
          <Field label={t.admin.documents.title}>
            {(fid) => <input id={fid} value={title} onChange={(e) => setTitle(e.target.value)} />}
          </Field>
          <Field label={t.admin.documents.type} hint={t.admin.documents.typeHint}>
            {(fid, hint) => (
              <input
                id={fid}
                aria-describedby={hint}
                pattern="[a-zA-Z0-9_\-]+"
                value={type}
                onChange={(e) => setType(e.target.value)}
              />
            )}
          </Field>
          <Button
            type="submit"
            variant="secondary"
            busy={upload.isPending}
            disabled={!file || upload.isPending}
          >
            {t.admin.documents.upload}
          </Button>
        </form>
      )}
    </section>
  );
}
