import type { Badge, Certificate } from '../api/types.ts';
import { ErrorNote, ListState, StatusBadge, Time } from '../components/bits.tsx';
import { ConfirmDialog, useConfirmation } from '../components/dialog.tsx';
import { DataTable, PagedRows, usePagedList } from '../components/paged-list.tsx';
import { useQueryState } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';
import { BadgeTable } from './badge-table.tsx';
import { AwardForm, BadgeForm } from './certificate-forms.tsx';

export function CertificatesPage({ orgId }: { orgId: string }) {
  const { api } = useSession();
  const [query] = useQueryState();
  const status = query.get('status') ?? '';
  const badges = useApi(
    (signal) => api.page<Badge>(`/v1/orgs/${orgId}/badges`, { limit: 100 }, signal),
    [orgId],
  );
  const certificates = usePagedList<Certificate>(`/v1/orgs/${orgId}/certificates`, { status });

  return (
    <>
      <h1 tabIndex={-1}>Certificates</h1>
      <section aria-labelledby="badges-title">
        <h2 id="badges-title">Badges</h2>
        <ListState
          loading={badges.loading}
          error={badges.error}
          count={badges.data?.data.length}
          what="badges"
          empty="No badge yet. Create one below."
        />
        {badges.data && badges.data.data.length > 0 && (
          <BadgeTable orgId={orgId} badges={badges.data.data} onChanged={badges.reload} />
        )}
        <BadgeForm orgId={orgId} onCreated={badges.reload} />
      </section>
      <section aria-labelledby="award-title">
        <h2 id="award-title">Award a certificate</h2>
        <p className="muted">
          Awarding publishes <span className="mono">certificate_completed</span> and{' '}
          <span className="mono">certificate.created</span> to the subscribed endpoints.
        </p>
        <AwardForm orgId={orgId} badges={badges.data?.data ?? []} onAwarded={certificates.reload} />
      </section>
      <section aria-labelledby="certificates-title">
        <h2 id="certificates-title">Awarded certificates</h2>
        <form
          className="filters"
          aria-label="Filter certificates"
          onSubmit={(e) => e.preventDefault()}
        >
          <label>
            Status
            <select
              value={status}
              onChange={(e) => certificates.restart({ status: e.target.value })}
            >
              <option value="">any</option>
              <option value="active">active (expiring included)</option>
              <option value="expiring">expiring</option>
              <option value="expired">expired</option>
              <option value="disabled">disabled</option>
            </select>
          </label>
        </form>
        <PagedRows list={certificates} what="certificates" empty="No certificate matches.">
          {(rows) => (
            <CertificateTable orgId={orgId} certificates={rows} onRevoked={certificates.reload} />
          )}
        </PagedRows>
      </section>
    </>
  );
}

function CertificateTable({
  orgId,
  certificates,
  onRevoked,
}: {
  orgId: string;
  certificates: Certificate[];
  onRevoked(): void;
}) {
  const { api, notify } = useSession();
  const revoking = useConfirmation(async (certificate: Certificate) => {
    await api.post(`/v1/orgs/${orgId}/certificates/${certificate._id}/revoke`);
    notify(`Certificate ${certificate._id} revoked`);
    onRevoked();
  });

  return (
    <>
      <ErrorNote error={revoking.failure} />
      <DataTable
        caption="Certificates"
        columns={['Certificate', 'User', 'Badge', 'Awarded', 'Expires', 'Status']}
        actions
      >
        {certificates.map((c) => (
          <tr key={c._id}>
            <td className="mono">{c._id}</td>
            <td className="mono">{c._userId}</td>
            <td>{c.ruleData.name}</td>
            <td>
              <Time value={c.creationDate} />
            </td>
            <td>{c.expires === null ? 'never' : <Time value={c.expires} />}</td>
            <td>
              <StatusBadge status={c.status} />
            </td>
            <td>
              {!c.disabled && (
                <button
                  type="button"
                  className="danger"
                  aria-label={`Revoke certificate ${c._id}`}
                  onClick={() => revoking.ask(c)}
                >
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <ConfirmDialog
        {...revoking.dialog}
        title="Revoke certificate?"
        message={
          <>
            The <strong>{revoking.target?.ruleData.name}</strong> certificate of user{' '}
            <span className="mono">{revoking.target?._userId}</span> becomes disabled: no expiry
            reminder or expiry event is sent for it any more. This cannot be undone.
          </>
        }
        confirmLabel="Revoke certificate"
      />
    </>
  );
}
