// Small building blocks every page uses: buttons, labelled fields, notices,
// loading and empty states, badges, page headers.
import { useId, type ButtonHTMLAttributes, type ReactElement, type ReactNode } from 'react';
import { Icon, type IconName } from './icons';

type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

export function Button({
  variant = 'secondary',
  icon,
  busy = false,
  iconOnly = false,
  children,
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; icon?: IconName; busy?: boolean; iconOnly?: boolean }): ReactElement {
  // Icon-only buttons (dense table rows) keep their text for screen readers and as a tooltip.
  const title = iconOnly && typeof children === 'string' ? children : rest.title;
  return (
    <button
      {...rest}
      title={title}
      type={type}
      className={`btn btn-${variant} ${iconOnly ? 'btn-icon' : ''} ${rest.className ?? ''}`}
      disabled={rest.disabled === true || busy}
      aria-busy={busy || undefined}
    >
      {busy ? <Spinner small /> : icon === undefined ? null : <Icon name={icon} size={18} />}
      {iconOnly ? <span className="visually-hidden">{children}</span> : children}
    </button>
  );
}

/** A label, the control, an optional hint and error, wired together for screen readers. */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string;
  error?: string | undefined;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}): ReactElement {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint === undefined ? null : hintId, error === undefined ? null : errorId].filter((x) => x !== null).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(describedBy === '' ? {} : { 'aria-describedby': describedBy }), ...(error === undefined ? {} : { 'aria-invalid': true }) })}
      {hint === undefined ? null : (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error === undefined ? null : (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export function Notice({ tone = 'info', title, children, onRetry }: { tone?: 'info' | 'success' | 'warning' | 'error'; title?: string; children?: ReactNode; onRetry?: () => void }): ReactElement {
  const icon: IconName = tone === 'success' ? 'check' : tone === 'info' ? 'info' : 'alert';
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <Icon name={icon} />
      <div className="notice-body">
        {title === undefined ? null : <strong>{title}</strong>}
        {children === undefined ? null : <div>{children}</div>}
      </div>
      {onRetry === undefined ? null : (
        <Button variant="ghost" icon="refresh" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

export function ErrorNotice({ error, onRetry }: { error: Error | undefined; onRetry?: () => void }): ReactElement | null {
  if (error === undefined) {
    return null;
  }
  return (
    <Notice tone="error" title="Something went wrong" {...(onRetry === undefined ? {} : { onRetry })}>
      {error.message}
    </Notice>
  );
}

export function Spinner({ small = false, label }: { small?: boolean; label?: string }): ReactElement {
  return <span className={`spinner ${small ? 'spinner-small' : ''}`} role={label === undefined ? undefined : 'status'} aria-label={label} />;
}

export function Loading({ what }: { what: string }): ReactElement {
  return (
    <div className="loading" role="status">
      <Spinner /> <span>Loading {what}…</span>
    </div>
  );
}

export function Empty({ icon, title, children }: { icon: IconName; title: string; children?: ReactNode }): ReactElement {
  return (
    <div className="empty">
      <Icon name={icon} size={32} />
      <p className="empty-title">{title}</p>
      {children === undefined ? null : <div className="empty-body">{children}</div>}
    </div>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'accent'; children: ReactNode }): ReactElement {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }): ReactElement {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {description === undefined ? null : <p className="page-description">{description}</p>}
      </div>
      {actions === undefined ? null : <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function Stat({ label, value, tone = 'neutral', detail }: { label: string; value: ReactNode; tone?: 'neutral' | 'good' | 'warn' | 'bad'; detail?: string }): ReactElement {
  return (
    <div className={`stat stat-${tone}`}>
      <span className="stat-label">{label}</span>
      <span className={`stat-value ${typeof value === 'string' && value.length > 8 ? 'stat-value-text' : ''}`}>{value}</span>
      {detail === undefined ? null : <span className="stat-detail">{detail}</span>}
    </div>
  );
}
