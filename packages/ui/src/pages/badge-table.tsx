import { useState } from 'react';
import type { Badge } from '../api/types.ts';
import { ErrorNote } from '../components/bits.tsx';
import { ConfirmDialog, Dialog, useConfirmation } from '../components/dialog.tsx';
import { FieldError, invalid } from '../components/field-error.tsx';
import { Menu } from '../components/menu.tsx';
import { DataTable } from '../components/paged-list.tsx';
import { useSession } from '../session.tsx';
import { useSubmit } from '../use-submit.ts';

/** The organization's badges, each with a "⋯" menu to rename or delete it. */
export function BadgeTable({
  orgId,
  badges,
  onChanged,
}: {
  orgId: string;
  badges: Badge[];
  onChanged(): void;
}) {
  const { api, notify } = useSession();
  const [renaming, setRenaming] = useState<Badge>();
  const deleting = useConfirmation(async (badge: Badge) => {
    await api.delete(`/v1/orgs/${orgId}/badges/${badge.id}`);
    notify(`Badge ${badge.name} deleted`);
    onChanged();
  });

  return (
    <>
      <ErrorNote error={deleting.failure} />
      <DataTable caption="Badges" columns={['Name', 'Rule', 'Valid for']} actions>
        {badges.map((badge) => (
          <tr key={badge.id}>
            <td>{badge.name}</td>
            <td>{badge.ruleType}</td>
            <td>
              {badge.validityDurationDays === null
                ? 'never expires'
                : `${badge.validityDurationDays} days`}
            </td>
            <td>
              <Menu
                label={`Actions for badge ${badge.name}`}
                items={[
                  { label: 'Rename', onSelect: () => setRenaming(badge) },
                  { label: 'Delete', danger: true, onSelect: () => deleting.ask(badge) },
                ]}
              />
            </td>
          </tr>
        ))}
      </DataTable>
      <RenameDialog
        orgId={orgId}
        badge={renaming}
        onClose={() => setRenaming(undefined)}
        onRenamed={onChanged}
      />
      <ConfirmDialog
        {...deleting.dialog}
        title="Delete badge?"
        message={
          <>
            <strong>{deleting.target?.name}</strong> can no longer be awarded. Certificates already
            awarded keep it, with their expiry.
          </>
        }
        confirmLabel="Delete badge"
      />
    </>
  );
}

function RenameDialog({
  orgId,
  badge,
  onClose,
  onRenamed,
}: {
  orgId: string;
  badge: Badge | undefined;
  onClose(): void;
  onRenamed(): void;
}) {
  const { api, notify } = useSession();
  const [name, setName] = useState('');
  // Filled while rendering, not in an effect: the dialog never shows an empty name first.
  const [filledFrom, setFilledFrom] = useState<Badge>();
  if (badge !== filledFrom) {
    setFilledFrom(badge);
    if (badge) setName(badge.name);
  }
  const { submit, errors, failure, busy } = useSubmit(async () => {
    if (!badge) return;
    const renamed = await api.patch<Badge>(`/v1/orgs/${orgId}/badges/${badge.id}`, {
      name: name.trim(),
    });
    notify(`Badge ${badge.name} renamed to ${renamed.name}`);
    onClose();
    onRenamed();
  });
  return (
    <Dialog
      title={`Rename ${badge?.name ?? 'badge'}`}
      open={badge !== undefined}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="rename-badge" className="primary" disabled={busy}>
            Save name
          </button>
        </>
      }
    >
      <form id="rename-badge" onSubmit={submit} noValidate>
        <label htmlFor="rename-badge-name">New name</label>
        <input
          id="rename-badge-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          {...invalid('rename-badge-name', errors.name)}
        />
        <FieldError id="rename-badge-name" message={errors.name} />
        <ErrorNote error={failure} />
      </form>
    </Dialog>
  );
}
