import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * The panel beside a list (a delivery, an event). Its heading takes focus each
 * time it shows another item (`itemId`), so a screen reader announces it.
 */
export function SidePanel({
  itemId,
  title,
  closeLabel,
  onClose,
  children,
}: {
  itemId: string;
  title: ReactNode;
  closeLabel: string;
  onClose(): void;
  children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();

  useEffect(() => {
    if (itemId) heading.current?.focus();
  }, [itemId]);

  return (
    <aside className="panel" aria-labelledby={titleId}>
      <div className="page-head">
        <h2 id={titleId} ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" onClick={onClose} aria-label={closeLabel}>
          ✕
        </button>
      </div>
      {children}
    </aside>
  );
}

/** A list row's id cell: a button that opens the row's item in the side panel. */
export function OpenCell({ id, label, onOpen }: { id: string; label: string; onOpen(): void }) {
  return (
    <td className="mono">
      <button type="button" className="link" aria-label={label} onClick={onOpen}>
        {id}
      </button>
    </td>
  );
}
