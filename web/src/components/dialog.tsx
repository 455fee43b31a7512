// Modal dialogs on the native <dialog> element: focus is trapped and Escape
// closes, by the browser itself.
import { useEffect, useRef, type FormEvent, type ReactElement, type ReactNode } from 'react';
import { Icon } from './icons';
import { Button } from './ui';

export function Dialog({ open, title, onClose, children, wide = false }: { open: boolean; title: string; onClose: () => void; children: ReactNode; wide?: boolean }): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) {
      return;
    }
    if (open && !dialog.open) {
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);
  return (
    <dialog ref={ref} className={`dialog ${wide ? 'dialog-wide' : ''}`} onClose={onClose} aria-labelledby="dialog-title">
      {open ? (
        <>
          <header className="dialog-header">
            <h2 id="dialog-title">{title}</h2>
            <button type="button" className="icon-button" onClick={onClose} aria-label="Close">
              <Icon name="close" />
            </button>
          </header>
          <div className="dialog-body">{children}</div>
        </>
      ) : null}
    </dialog>
  );
}

/** Asks before something that cannot be undone; children may hold extra fields (a reason). */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  danger = false,
  busy = false,
  onConfirm,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}): ReactElement {
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onConfirm();
  };
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <form onSubmit={submit} className="stack">
        {children}
        <DialogActions onCancel={onClose} submitLabel={confirmLabel} danger={danger} busy={busy} />
      </form>
    </Dialog>
  );
}

/** The foot of a dialog's form: Cancel, and the button that submits it. */
export function DialogActions({
  onCancel,
  submitLabel,
  danger = false,
  busy = false,
}: {
  onCancel: () => void;
  submitLabel: string;
  danger?: boolean;
  busy?: boolean;
}): ReactElement {
  return (
    <div className="dialog-actions">
      <Button onClick={onCancel}>Cancel</Button>
      <Button type="submit" variant={danger ? 'danger' : 'primary'} busy={busy}>
        {submitLabel}
      </Button>
    </div>
  );
}
