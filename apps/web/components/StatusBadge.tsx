/** A state shown with text, colour and shape (never colour alone). */
export type BadgeTone = 'ok' | 'warning' | 'down';

export function StatusBadge({ tone, label }: { tone: BadgeTone; label: string }) {
  return (
    <span className={`badge badge--${tone}`}>
      <span className="badge__shape" aria-hidden="true" />
      {label}
    </span>
  );
}
