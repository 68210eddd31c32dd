import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

/**
 * A modal dialog on the native <dialog>: showModal() gives focus trapping,
 * Escape to close and an inert page behind it, which a hand-made overlay
 * would have to reimplement.
 */
export function Dialog({
  title,
  open,
  onClose,
  children,
  actions,
}: {
  title: string;
  open: boolean;
  onClose(): void;
  children: ReactNode;
  actions: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  );
}

/** A yes/no question before something that cannot be undone. */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  open,
  onConfirm,
  onClose,
}: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  open: boolean;
  onConfirm(): void;
  onClose(): void;
}) {
  return (
    <Dialog
      title={title}
      open={open}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => {
              onClose();
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
        </>
      }
    >
      <p>{message}</p>
    </Dialog>
  );
}

/**
 * The state behind a ConfirmDialog: `ask(target)` opens it, a yes runs
 * `action(target)`, and a failure is kept for an ErrorNote on the page.
 */
export function useConfirmation<T>(action: (target: T) => Promise<void>) {
  const [target, setTarget] = useState<T>();
  const [failure, setFailure] = useState<Error>();
  return {
    target,
    failure,
    ask: (next: T) => setTarget(next),
    /** Spread into the ConfirmDialog. */
    dialog: {
      open: target !== undefined,
      onClose: () => setTarget(undefined),
      onConfirm: async () => {
        if (target === undefined) return;
        setFailure(undefined);
        try {
          await action(target);
        } catch (error) {
          setFailure(error as Error);
        }
      },
    },
  };
}
