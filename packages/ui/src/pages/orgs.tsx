import { useState } from 'react';
import type { Organization } from '../api/types.ts';
import { ErrorNote, Time } from '../components/bits.tsx';
import { FieldError, invalid } from '../components/field-error.tsx';
import { DataTable, PagedRows, usePagedList } from '../components/paged-list.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useSubmit } from '../use-submit.ts';

/** The admin picks the organization to work in (or creates one). */
export function OrgsPage() {
  const { api, notify } = useSession();
  const orgs = usePagedList<Organization>('/v1/orgs');
  const [name, setName] = useState('');
  const { submit, errors, failure, busy } = useSubmit(async () => {
    const org = await api.post<Organization>('/v1/orgs', { name });
    notify(`Organization ${org.name} created`);
    navigate(`/orgs/${org.id}/endpoints`);
  });

  return (
    <>
      <h1 tabIndex={-1}>Organizations</h1>
      <PagedRows
        list={orgs}
        what="organizations"
        empty="No organization yet. Create the first one below."
      >
        {(rows) => (
          <DataTable caption="Organizations" columns={['Name', 'ID', 'Created']}>
            {rows.map((org) => (
              <tr key={org.id} aria-label={org.name}>
                <td>
                  <Link to={`/orgs/${org.id}/endpoints`}>{org.name}</Link>
                </td>
                <td className="mono">{org.id}</td>
                <td>
                  <Time value={org.createdAt} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </PagedRows>
      <form className="inline-form" onSubmit={submit}>
        <h2>New organization</h2>
        <label htmlFor="org-name">Name</label>
        <input
          id="org-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
          {...invalid('org-name', errors.name)}
        />
        <FieldError id="org-name" message={errors.name} />
        <button type="submit" className="primary" disabled={busy}>
          Create organization
        </button>
        <ErrorNote error={failure} />
      </form>
    </>
  );
}
