import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Field, InputField, Loading, Notice } from '../../ui';
import { ConfirmButton, noContent, type OrgOption, orNull, useOrgs } from '../../ui-admin';

const KINDS = ['district', 'school', 'university', 'campus', 'office'] as const;
type Kind = (typeof KINDS)[number];
/** What usually sits under each kind (district ▸ school, university ▸ campus); the API decides. */
const CHILD_KIND: Record<string, Kind> = { district: 'school', university: 'campus', school: 'school' };

type Editing =
  | { mode: 'add'; parent: OrgOption }
  | { mode: 'edit'; org: OrgOption }
  | { mode: 'move'; org: OrgOption }
  | null;

/** Admin: the organization tree in scope, with adding a child, editing and deleting each node. */
export function OrgTree() {
  const qc = useQueryClient();
  const orgs = useOrgs();
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState('');
  const refresh = () => void qc.invalidateQueries({ queryKey: ['organizations'] });
  const remove = useMutation({
    mutationFn: async (o: OrgOption) => {
      noContent(await api.DELETE('/api/v1/organizations/{id}', { params: { path: { id: o.id } } }));
      return o;
    },
    onSuccess: (o) => {
      setNotice(t.admin.org.deleted(o.name));
      refresh();
    },
  });
  const byParent = new Map<string | null, OrgOption[]>();
  const ids = new Set((orgs.data ?? []).map((o) => o.id));
  for (const o of orgs.data ?? []) {
    // The top of what this user sees: its parent is outside the scope.
    const key = o.parent_id && ids.has(o.parent_id) ? o.parent_id : null;
    byParent.set(key, [...(byParent.get(key) ?? []), o]);
  }
  const done = (msg: string) => {
    setEditing(null);
    setNotice(msg);
    refresh();
  };
  const tree = (parent: string | null) => {
    const kids = byParent.get(parent) ?? [];
    if (!kids.length) return null;
    return (
      <ul className="tree">
        {kids.map((o) => (
          <li key={o.id}>
            <div className="tree-node">
              <span>{o.name}</span>{' '}
              <span className="muted">
                ({t.org.kinds[o.kind as keyof typeof t.org.kinds] ?? o.kind}
                {o.code ? ` · ${o.code}` : ''})
              </span>
              <span className="actions">
                <Button
                  variant="ghost"
                  aria-label={t.admin.org.addChild(o.name)}
                  onClick={() => setEditing({ mode: 'add', parent: o })}
                >
                  +
                </Button>
                <Button
                  variant="ghost"
                  aria-label={t.admin.org.edit(o.name)}
                  onClick={() => setEditing({ mode: 'edit', org: o })}
                >
                  ✎
                </Button>
                {o.parent_id && (
                  <Button
                    variant="ghost"
                    aria-label={t.admin.org.move(o.name)}
                    onClick={() => setEditing({ mode: 'move', org: o })}
                  >
                    ⇄
                  </Button>
                )}
                {!byParent.get(o.id)?.length && (
                  <ConfirmButton
                    label={t.admin.org.delete(o.name)}
                    text={t.admin.deleteShort}
                    question={t.admin.org.deleteQ(o.name)}
                    busy={remove.isPending}
                    onConfirm={() => remove.mutate(o)}
                  />
                )}
              </span>
            </div>
            {editing?.mode === 'add' && editing.parent.id === o.id && (
              <OrgForm parent={o} onDone={done} onCancel={() => setEditing(null)} />
            )}
            {editing?.mode === 'edit' && editing.org.id === o.id && (
              <OrgForm org={o} onDone={done} onCancel={() => setEditing(null)} />
            )}
            {editing?.mode === 'move' && editing.org.id === o.id && (
              <MoveForm
                org={o}
                candidates={(orgs.data ?? []).filter(
                  (c) => c.id !== o.parent_id && !subtreeOf(o.id, byParent).has(c.id),
                )}
                onDone={done}
                onCancel={() => setEditing(null)}
              />
            )}
            {tree(o.id)}
          </li>
        ))}
      </ul>
    );
  };
  return (
    <section className="card" aria-labelledby="tree-h">
      <h2 id="tree-h">{t.org.tree}</h2>
      <ErrorAlert error={orgs.error ?? remove.error} />
      {notice && <Notice>{notice}</Notice>}
      {orgs.isPending ? <Loading /> : tree(null)}
    </section>
  );
}

/** The ids of `id` and everything under it, from the tree as loaded. */
function subtreeOf(id: string, byParent: Map<string | null, OrgOption[]>): Set<string> {
  const out = new Set([id]);
  const walk = (p: string) => {
    for (const c of byParent.get(p) ?? []) {
      out.add(c.id);
      walk(c.id);
    }
  };
  walk(id);
  return out;
}

/** Moves `org` with its subtree under another organization (not itself or one of its own). */
function MoveForm({
  org,
  candidates,
  onDone,
  onCancel,
}: {
  org: OrgOption;
  candidates: OrgOption[];
  onDone: (msg: string) => void;
  onCancel: () => void;
}) {
  const [parentId, setParentId] = useState(candidates[0]?.id ?? '');
  const move = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/organizations/{id}/move', {
          params: { path: { id: org.id } },
          body: { parent_id: parentId },
        }),
      ).data,
    onSuccess: () =>
      onDone(t.admin.org.moved(org.name, candidates.find((c) => c.id === parentId)?.name ?? '')),
  });
  return (
    <form
      className="inline-form subcard"
      aria-label={t.admin.org.move(org.name)}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        move.mutate();
      }}
    >
      <ErrorAlert error={move.error} />
      <Field label={t.admin.org.newParent}>
        {(id) => (
          <select id={id} required value={parentId} onChange={(e) => setParentId(e.target.value)}>
            {candidates.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({t.org.kinds[c.kind as keyof typeof t.org.kinds] ?? c.kind})
              </option>
            ))}
          </select>
        )}
      </Field>
      <p className="muted">{t.admin.org.moveHint}</p>
      <Button type="submit" busy={move.isPending} disabled={move.isPending || !parentId}>
        {t.admin.org.moveSubmit}
      </Button>
      <Button variant="ghost" onClick={onCancel}>
        {t.common.cancel}
      </Button>
    </form>
  );
}

/** Adds a child under `parent`, or edits `org` (name, code, currency, time zone, self-registration). */
function OrgForm({
  parent,
  org,
  onDone,
  onCancel,
}: {
  parent?: OrgOption;
  org?: OrgOption;
  onDone: (msg: string) => void;
  onCancel: () => void;
}) {
  const [f, setF] = useState({
    name: org?.name ?? '',
    kind: (parent ? (CHILD_KIND[parent.kind] ?? 'school') : (org?.kind ?? 'school')) as Kind,
    code: org?.code ?? '',
    // A child starts with its parent's currency and time zone (the API's default too).
    currency: org?.currency ?? parent?.currency ?? '',
    timezone: org?.timezone ?? parent?.timezone ?? '',
    allow_self_registration: org?.allow_self_registration ?? false,
  });
  const currency = f.currency.trim().toUpperCase();
  const timezone = f.timezone.trim();
  const save = useMutation({
    mutationFn: async () => {
      if (org) {
        return unwrap(
          await api.PATCH('/api/v1/organizations/{id}', {
            params: { path: { id: org.id } },
            body: {
              name: f.name.trim(),
              code: orNull(f.code),
              ...(currency && currency !== org.currency ? { currency } : {}),
              ...(timezone && timezone !== org.timezone ? { timezone } : {}),
              allow_self_registration: f.allow_self_registration,
            },
          }),
        ).data;
      }
      return unwrap(
        await api.POST('/api/v1/organizations', {
          body: {
            name: f.name.trim(),
            kind: f.kind,
            ...(parent ? { parent_id: parent.id } : {}),
            ...(f.code.trim() ? { code: f.code.trim() } : {}),
            ...(currency ? { currency } : {}),
            ...(timezone ? { timezone } : {}),
            allow_self_registration: f.allow_self_registration,
          },
        }),
      ).data;
    },
    onSuccess: (o) => onDone(org ? t.admin.org.saved(o.name) : t.admin.org.created(o.name)),
  });
  const title = org ? t.admin.org.edit(org.name) : t.admin.org.addChild(parent?.name ?? '');
  return (
    <form
      className="inline-form subcard"
      aria-label={title}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <ErrorAlert error={save.error} />
      <InputField label={t.admin.org.name} required value={f.name} onValue={(v) => setF({ ...f, name: v })} />
      {!org && (
        <Field label={t.admin.org.kind}>
          {(id) => (
            <select id={id} value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as Kind })}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t.org.kinds[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <InputField label={t.admin.org.code} value={f.code} onValue={(v) => setF({ ...f, code: v })} />
      <InputField
        label={t.admin.org.currency}
        pattern="[A-Za-z]{3}"
        maxLength={3}
        value={f.currency}
        onValue={(v) => setF({ ...f, currency: v })}
      />
      <InputField
        label={t.admin.org.timezone}
        value={f.timezone}
        onValue={(v) => setF({ ...f, timezone: v })}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={f.allow_self_registration}
          onChange={(e) => setF({ ...f, allow_self_registration: e.target.checked })}
        />
        {t.admin.org.selfRegistration}
      </label>
      <Button type="submit" busy={save.isPending} disabled={save.isPending}>
        {t.common.save}
      </Button>
      <Button variant="ghost" onClick={onCancel}>
        {t.common.cancel}
      </Button>
    </form>
  );
}
