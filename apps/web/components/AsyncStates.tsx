'use client';

import type { ReactNode } from 'react';
import { describeError } from '../lib/errors.ts';
import { Alert } from './Form.tsx';
import { useI18n } from './I18nProvider.tsx';

/** A polite "loading…" line with a spinner. */
export function Loading({ message }: { message: string }) {
  return (
    <p role="status" className="loading-line">
      <span className="spinner" aria-hidden="true" />
      {message}
    </p>
  );
}

/** A failed load: what failed, why (localized), and a retry button. */
export function LoadError({ title, error, onRetry, retrying = false }: { title: string; error: unknown; onRetry?: () => void; retrying?: boolean }) {
  const { m } = useI18n();
  return (
    <Alert tone="error" title={title}>
      <p>{describeError(error, m)}</p>
      {onRetry ? (
        <button type="button" className="button button--secondary alert__action" onClick={onRetry} disabled={retrying}>
          {m.common.retry}
        </button>
      ) : null}
    </Alert>
  );
}

/** An empty list: a sentence and, optionally, what to do next. */
export function EmptyState({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-state__title">{title}</p>
      {children ? <div className="empty-state__body">{children}</div> : null}
      {actions ? <div className="empty-state__actions">{actions}</div> : null}
    </div>
  );
}
