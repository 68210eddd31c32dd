import { type FormEvent, useState } from 'react';
import type { Organization } from '../api/types.ts';
import { ErrorNote, ListState, Pager, Time } from '../components/bits.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';

/** The admin picks the organization to work in (or creates one). */
export function OrgsPage() {
  const { api, notify } = useSession();
  const [cursors, setCursors] = useState<string[]>([]);
  const orgs = useApi(
    (signal) => api.page<Organization>('/v1/orgs', { cursor: cursors.at(-1), limit: 25 }, signal),
    [cursors],
  );
  const [name, setName] = useState('');
  const [error, setError] = useState<Error>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const org = await api.post<Organization>('/v1/orgs', { name });
      notify(`Organization ${org.name} created`);
      navigate(`/orgs/${org.id}/endpoints`);
    } catch (reason) {
      setError(reason as Error);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Organizations</h1>
      <ListState
        loading={orgs.loading}
        error={orgs.error}
        count={orgs.data?.data.length}
        what="organizations"
        empty="No organization yet. Create the first one below."
      />
      {orgs.data && orgs.data.data.length > 0 && (
        <table>
          <caption className="visually-hidden">Organizations</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">ID</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {orgs.data.data.map((org) => (
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
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} nextCursor={orgs.data?.nextCursor} onChange={setCursors} />
      <form className="inline-form" onSubmit={create}>
        <h2>New organization</h2>
        <label htmlFor="org-name">Name</label>
        <input
          id="org-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
        />
        <button type="submit" className="primary">
          Create organization
        </button>
        <ErrorNote error={error} />
      </form>
    </>
  );
}
