import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, download, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { t } from '../../i18n/en';
import { Button, ErrorAlert, Page, RowsTable } from '../../ui';
import { useMyFaculty } from './hooks';

type Doc = components['schemas']['Document'];
const D = t.roles.documents;
const CERT = 'certificate';

/**
 * The signed-in user's own documents and the certificates issued to them, as the documents API scopes
 * them: a student's own record, a parent's children's, a teacher's uploads and their faculty record's
 * certificates, anyone else's uploads.
 */
export function MyDocuments() {
  const { user, has } = useAuth();
  const me = useMyFaculty();
  const student = has('student');
  const parent = has('parent');
  const docs = useQuery({
    queryKey: ['my-documents', user?.id, me.data?.id],
    enabled: Boolean(user) && (!has('faculty') || !me.isPending),
    queryFn: async (): Promise<Doc[]> => {
      if (student) {
        return unwrap(
          await api.GET('/api/v1/students/me/documents', { params: { query: { page_size: 100 } } }),
        ).data;
      }
      if (parent) {
        const mine = unwrap(
          await api.GET('/api/v1/guardians', { params: { query: { page_size: 10 } } }),
        ).data;
        const kids = (
          await Promise.all(
            mine.map(
              async (g) =>
                unwrap(await api.GET('/api/v1/guardians/{id}/students', { params: { path: { id: g.id } } }))
                  .data,
            ),
          )
        ).flat();
        const lists = await Promise.all(
          [...new Set(kids.map((k) => k.id))].map(
            async (id) =>
              unwrap(
                await api.GET('/api/v1/students/{id}/documents', {
                  params: { path: { id }, query: { page_size: 100 } },
                }),
              ).data,
          ),
        );
        return lists.flat();
      }
      const uploads = unwrap(
        await api.GET('/api/v1/documents', { params: { query: { user_id: user?.id, page_size: 100 } } }),
      ).data;
      const certs = me.data
        ? unwrap(
            await api.GET('/api/v1/documents', {
              params: {
                query: {
                  document_type: CERT,
                  related_entity_type: 'faculty',
                  related_entity_id: me.data.id,
                  page_size: 100,
                },
              },
            }),
          ).data
        : [];
      const seen = new Map([...uploads, ...certs].map((d) => [d.id, d]));
      return [...seen.values()];
    },
  });
  const [dlError, setDlError] = useState<unknown>(null);
  const all = docs.data;
  const certificates = all?.filter((d) => d.document_type === CERT);
  const others = all?.filter((d) => d.document_type !== CERT);
  const table = (rows: Doc[] | undefined) => (
    <RowsTable
      rows={rows}
      pending={docs.isPending && !docs.error}
      columns={[D.name, D.type, D.date, D.size, '']}
      row={(d) => (
        <tr key={d.id}>
          <td>{d.title}</td>
          <td>{d.document_type ?? '—'}</td>
          <td>{new Date(d.created_at).toLocaleDateString()}</td>
          <td>{t.roles.kb(Math.max(1, Math.round(d.size / 1024)))}</td>
          <td>
            <Button
              variant="secondary"
              aria-label={`${t.common.download} ${d.title}`}
              onClick={() =>
                void download(`/api/v1/documents/${d.id}/download`, d.file_name).catch(setDlError)
              }
            >
              {t.common.download}
            </Button>
          </td>
        </tr>
      )}
    />
  );
  return (
    <Page title={D.title}>
      <ErrorAlert error={docs.error ?? dlError} />
      <section aria-labelledby="certs-h">
        <h2 id="certs-h">{D.certificates}</h2>
        {table(certificates)}
      </section>
      <section aria-labelledby="docs-h">
        <h2 id="docs-h">{D.all}</h2>
        {table(others)}
      </section>
    </Page>
  );
}
