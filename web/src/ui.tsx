import { type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, useId } from 'react';
import { errorText } from './api/client';
import { t } from './i18n/en';

/** The console's small component set: labelled fields, buttons, alerts, tables, a page frame, charts. */

export function Page({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Field({
  label,
  children,
  hint,
}: {
  label: string;
  hint?: string;
  children: (id: string, describedBy?: string) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

/**
 * A labelled `<input>` bound to a value: every input attribute passes through, `onValue` receives the
 * new text (the common case of `Field` + `input`; use `Field` itself for selects, text areas and others).
 */
export function InputField({
  label,
  hint,
  onValue,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange'> & {
  label: string;
  hint?: string;
  onValue: (value: string) => void;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id, describedBy) => (
        <input id={id} aria-describedby={describedBy} {...input} onChange={(e) => onValue(e.target.value)} />
      )}
    </Field>
  );
}

export function Button({
  variant = 'primary',
  busy,
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'ghost';
  busy?: boolean;
}) {
  return (
    <button type="button" className={`btn btn-${variant}`} aria-busy={busy || undefined} {...rest}>
      {children}
    </button>
  );
}

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      {errorText(error)}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-ok" role="status">
      {children}
    </div>
  );
}

export function Loading() {
  return (
    <p className="muted" role="status">
      {t.app.loading}
    </p>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  return <p className="muted">{children ?? t.common.none}</p>;
}

/**
 * A list's three states in one place: loading, empty, or a table with these column headings and one
 * `row(item)` (a `<tr>` with its key) per item.
 */
export function RowsTable<T>({
  rows,
  pending,
  columns,
  row,
}: {
  rows: readonly T[] | undefined;
  pending: boolean;
  columns: string[];
  row: (item: T) => ReactNode;
}) {
  if (pending) return <Loading />;
  if (!rows?.length) return <Empty />;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{rows.map(row)}</tbody>
      </table>
    </div>
  );
}

/** A bar chart in plain SVG (no chart library: the first load stays small). */
export function BarChart({
  title,
  points,
  format = (v) => String(v),
}: {
  title: string;
  points: Array<{ label: string; value: number }>;
  format?: (v: number) => string;
}) {
  const w = 560;
  const h = 180;
  const max = Math.max(1, ...points.map((p) => p.value));
  const bw = points.length ? (w - 20) / points.length : 0;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${w} ${h + 30}`} role="img" aria-label={title}>
        {points.map((p, i) => {
          const bh = (p.value / max) * h;
          return (
            <g key={p.label}>
              <rect x={10 + i * bw + 2} y={h - bh} width={Math.max(bw - 4, 1)} height={bh} className="bar">
                <title>{`${p.label}: ${format(p.value)}`}</title>
              </rect>
              <text x={10 + i * bw + bw / 2} y={h + 16} textAnchor="middle" className="axis">
                {p.label}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {points.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              <td>{format(p.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
