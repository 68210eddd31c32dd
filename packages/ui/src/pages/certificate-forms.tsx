import { useState } from 'react';
import type { Badge } from '../api/types.ts';
import { ErrorNote } from '../components/bits.tsx';
import { FieldError, invalid } from '../components/field-error.tsx';
import { fromLocalInput } from '../local-time.ts';
import { useSession } from '../session.tsx';
import { useSubmit } from '../use-submit.ts';

export function BadgeForm({ orgId, onCreated }: { orgId: string; onCreated(): void }) {
  const { api, notify } = useSession();
  const [name, setName] = useState('');
  const [days, setDays] = useState('365');
  const { submit, errors, failure, busy } = useSubmit(async () => {
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
        {...invalid('badge-name', errors.name)}
      />
      <FieldError id="badge-name" message={errors.name} />
      <label htmlFor="badge-days">Valid for (days, empty: never expires)</label>
      <input
        id="badge-days"
        type="number"
        min={1}
        value={days}
        onChange={(e) => setDays(e.target.value)}
        {...invalid('badge-days', errors.validityDurationDays)}
      />
      <FieldError id="badge-days" message={errors.validityDurationDays} />
      <button type="submit" disabled={busy}>
        Create badge
      </button>
      <ErrorNote error={failure} />
    </form>
  );
}

export function AwardForm({
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
  const [expires, setExpires] = useState('');
  // A badge picked before it was deleted falls back to the first one left.
  const chosen = badges.some((badge) => badge.id === badgeId) ? badgeId : (badges[0]?.id ?? '');
  const { submit, errors, failure, busy } = useSubmit(async () => {
    const user = { ...(userName ? { name: userName } : {}), ...(email ? { email } : {}) };
    await api.post(`/v1/orgs/${orgId}/certificates`, {
      userId: userId.trim(),
      badgeId: chosen,
      ...(Object.keys(user).length > 0 ? { user } : {}),
      ...(expires ? { expires: fromLocalInput(expires) } : {}),
    });
    notify('Certificate awarded');
    setUserId('');
    setUserName('');
    setEmail('');
    setExpires('');
    onAwarded();
  });
  if (badges.length === 0) return <p className="muted">Create a badge first.</p>;
  return (
    <form className="endpoint-form" onSubmit={submit} noValidate aria-label="Award a certificate">
      <div className="field-row">
        <div className="field">
          <label htmlFor="award-user">User ID (24-hex ObjectId)</label>
          <input
            id="award-user"
            className="mono"
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
            {...invalid('award-user', errors.userId)}
          />
          <FieldError id="award-user" message={errors.userId} />
        </div>
        <div className="field">
          <label htmlFor="award-badge">Badge</label>
          <select
            id="award-badge"
            value={chosen}
            onChange={(e) => setBadgeId(e.target.value)}
            {...invalid('award-badge', errors.badgeId)}
          >
            {badges.map((badge) => (
              <option key={badge.id} value={badge.id}>
                {badge.name}
              </option>
            ))}
          </select>
          <FieldError id="award-badge" message={errors.badgeId} />
        </div>
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
        <div className="field">
          <label htmlFor="award-expires">Expires (optional, instead of the badge's validity)</label>
          <input
            id="award-expires"
            type="datetime-local"
            value={expires}
            onChange={(e) => setExpires(e.target.value)}
            {...invalid('award-expires', errors.expires)}
          />
          <FieldError id="award-expires" message={errors.expires} />
        </div>
      </div>
      <ErrorNote error={failure} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Award certificate
        </button>
      </div>
    </form>
  );
}
