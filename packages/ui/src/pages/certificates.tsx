import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { ErrorNote, ListState, Pager, StatusBadge, Time } from '../components/bits.tsx';
import { useQueryState } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';

interface Badge {
  id: string;
  name: string;
  description: string;
  ruleType: string;
  validityDurationDays: number | null;
}

/** A certificate is the BadgeUser document the certificate_* events carry. */
interface Certificate {
  _id: string;
  _userId: string;
  _badgeId: string;
  creationDate: string;
  expires: string | null;
  disabled: boolean;
  ruleData: { name: string };
  status?: string;
}

const EXPIRING_MS = 30 * 86_400_000;

/** The API's status when it gives one; otherwise the same rule worked out here. */
export function expiryStatus(certificate: Certificate, now = Date.now()): string {
  if (certificate.status) return certificate.status;
  if (certificate.disabled) return 'disabled';
  if (certificate.expires === null) return 'active';
  const left = Date.parse(certificate.expires) - now;
  return left <= 0 ? 'expired' : left <= EXPIRING_MS ? 'expiring' : 'active';
}

export function CertificatesPage({ orgId }: { orgId: string }) {
  const { api } = useSession();
  const [query, setQuery] = useQueryState();
  const status = query.get('status') ?? '';
  const [cursors, setCursors] = useState<string[]>([]);
  const badges = useApi(
    (signal) => api.page<Badge>(`/v1/orgs/${orgId}/badges`, { limit: 100 }, signal),
    [orgId],
  );
  const certificates = useApi(
    (signal) =>
      api.page<Certificate>(
        `/v1/orgs/${orgId}/certificates`,
        { status, cursor: cursors.at(-1), limit: 25 },
        signal,
      ),
    [orgId, status, cursors],
  );

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
          <table>
            <caption className="visually-hidden">Badges</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Rule</th>
                <th scope="col">Valid for</th>
              </tr>
            </thead>
            <tbody>
              {badges.data.data.map((badge) => (
                <tr key={badge.id}>
                  <td>{badge.name}</td>
                  <td>{badge.ruleType}</td>
                  <td>
                    {badge.validityDurationDays === null
                      ? 'never expires'
                      : `${badge.validityDurationDays} days`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <BadgeForm orgId={orgId} onCreated={badges.reload} />
      </section>
      <section aria-labelledby="award-title">
        <h2 id="award-title">Award a certificate</h2>
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
              onChange={(e) => {
                setCursors([]);
                setQuery({ status: e.target.value });
              }}
            >
              <option value="">any</option>
              <option value="active">active</option>
              <option value="expiring">expiring</option>
              <option value="expired">expired</option>
              <option value="disabled">disabled</option>
            </select>
          </label>
        </form>
        <ListState
          loading={certificates.loading}
          error={certificates.error}
          count={certificates.data?.data.length}
          what="certificates"
          empty="No certificate matches."
        />
        {certificates.data && certificates.data.data.length > 0 && (
          <table>
            <caption className="visually-hidden">Certificates</caption>
            <thead>
              <tr>
                <th scope="col">Certificate</th>
                <th scope="col">User</th>
                <th scope="col">Badge</th>
                <th scope="col">Awarded</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {certificates.data.data.map((c) => (
                <tr key={c._id}>
                  <td className="mono">{c._id}</td>
                  <td className="mono">{c._userId}</td>
                  <td>{c.ruleData.name}</td>
                  <td>
                    <Time value={c.creationDate} />
                  </td>
                  <td>{c.expires === null ? 'never' : <Time value={c.expires} />}</td>
                  <td>
                    <StatusBadge status={expiryStatus(c)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager cursors={cursors} nextCursor={certificates.data?.nextCursor} onChange={setCursors} />
      </section>
    </>
  );
}

function useSubmit(action: () => Promise<void>) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Error>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setFailure(undefined);
    try {
      await action();
    } catch (error) {
      if (error instanceof ApiError && error.field)
        setErrors({ [error.field.split('.')[0]]: error.message });
      else setFailure(error as Error);
    }
  };
  return { submit, errors, failure };
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  );
}

function BadgeForm({ orgId, onCreated }: { orgId: string; onCreated(): void }) {
  const { api, notify } = useSession();
  const [name, setName] = useState('');
  const [days, setDays] = useState('365');
  const { submit, errors, failure } = useSubmit(async () => {
    await api.post(`/v1/orgs/${orgId}/badges`, {
      name,
      validityDurationDays: days.trim() === '' ? null : Number(days),
    });
    notify(`Badge ${name} created`);
    setName('');
    onCreated();
  });
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="New badge">
      <label htmlFor="badge-name">Badge name</label>
      <input
        id="badge-name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        aria-invalid={errors.name ? true : undefined}
        aria-describedby={errors.name ? 'badge-name-error' : undefined}
      />
      <FieldError id="badge-name-error" message={errors.name} />
      <label htmlFor="badge-days">Valid for (days, empty: never expires)</label>
      <input
        id="badge-days"
        type="number"
        value={days}
        onChange={(e) => setDays(e.target.value)}
        aria-invalid={errors.validityDurationDays ? true : undefined}
        aria-describedby={errors.validityDurationDays ? 'badge-days-error' : undefined}
      />
      <FieldError id="badge-days-error" message={errors.validityDurationDays} />
      <button type="submit">Create badge</button>
      <ErrorNote error={failure} />
    </form>
  );
}

function AwardForm({
  orgId,
  badges,
  onAwarded,
}: {
  orgId: string;
  badges: Badge[];
  onAwarded(): void;
}) {
  const { api, notify } = useSession();
  const [userId, setUserId] = useState('');
  const [badgeId, setBadgeId] = useState('');
  const [userName, setUserName] = useState('');
  const [email, setEmail] = useState('');
  const chosen = badgeId || badges[0]?.id || '';
  const { submit, errors, failure } = useSubmit(async () => {
    const user = { ...(userName ? { name: userName } : {}), ...(email ? { email } : {}) };
    await api.post(`/v1/orgs/${orgId}/certificates`, {
      userId,
      badgeId: chosen,
      ...(Object.keys(user).length > 0 ? { user } : {}),
    });
    notify('Certificate awarded');
    onAwarded();
  });
  if (badges.length === 0) return <p className="muted">Create a badge first.</p>;
  return (
    <form className="endpoint-form" onSubmit={submit} noValidate aria-label="Award a certificate">
      <div className="field">
        <label htmlFor="award-user">User ID (24-hex ObjectId)</label>
        <input
          id="award-user"
          className="mono"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          aria-invalid={errors.userId ? true : undefined}
          aria-describedby={errors.userId ? 'award-user-error' : undefined}
        />
        <FieldError id="award-user-error" message={errors.userId} />
      </div>
      <div className="field">
        <label htmlFor="award-badge">Badge</label>
        <select id="award-badge" value={chosen} onChange={(e) => setBadgeId(e.target.value)}>
          {badges.map((badge) => (
            <option key={badge.id} value={badge.id}>
              {badge.name}
            </option>
          ))}
        </select>
        <FieldError id="award-badge-error" message={errors.badgeId} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="award-name">User name (optional)</label>
          <input id="award-name" value={userName} onChange={(e) => setUserName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="award-email">User email (optional)</label>
          <input id="award-email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
      </div>
      <ErrorNote error={failure} />
      <div className="form-actions">
        <button type="submit" className="primary">
          Award certificate
        </button>
      </div>
    </form>
  );
}
