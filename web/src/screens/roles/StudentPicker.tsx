import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { Field, InputField } from '../../ui';

export interface PickedStudent {
  id: string;
  name: string;
  number: string;
}

/** A labelled search box for a student (GET /students/search), then a select of the matches. */
export function StudentPicker({
  label,
  pickLabel,
  value,
  onChange,
}: {
  label: string;
  pickLabel: string;
  value: PickedStudent | null;
  onChange: (s: PickedStudent | null) => void;
}) {
  const [q, setQ] = useState('');
  const hits = useQuery({
    queryKey: ['student-search', q],
    enabled: q.trim().length >= 2,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/students/search', { params: { query: { q: q.trim(), limit: 10 } } }))
        .data,
  });
  const options = (hits.data ?? []).map((h) => ({
    id: h.id,
    name: `${h.first_name} ${h.last_name}`,
    number: h.student_number,
  }));
  return (
    <>
      <InputField label={label} type="search" value={q} onValue={(v) => setQ(v)} />
      <Field label={pickLabel}>
        {(id) => (
          <select
            id={id}
            value={value?.id ?? ''}
            onChange={(e) => onChange(options.find((o) => o.id === e.target.value) ?? null)}
          >
            <option value="">—</option>
            {value && !options.some((o) => o.id === value.id) && (
              <option value={value.id}>
                {value.name} ({value.number})
              </option>
            )}
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({o.number})
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
