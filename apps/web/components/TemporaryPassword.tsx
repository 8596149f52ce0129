'use client';

import { useState, type Ref } from 'react';
import { useI18n } from './I18nProvider.tsx';

/** A generated one-time password, shown once, with a copy button and the advice to share it securely. */
export function TemporaryPassword({ password }: { password: string }) {
  const { m } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="secret">
      <p className="secret__label">{m.users.temporaryPassword}</p>
      <div className="secret__row">
        <code className="secret__value">{password}</code>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => {
            void navigator.clipboard?.writeText(password).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? m.users.copied : m.users.copy}
        </button>
      </div>
      <p className="secret__note">{m.users.temporaryPasswordNote}</p>
    </div>
  );
}

/** The success banner after an account was created for someone: what was made and, when generated, its one-time password. Focusable. */
export function AccountCreatedNotice({
  title,
  temporaryPassword,
  resultRef,
  onDismiss,
  dismissLabel,
}: {
  title: string;
  temporaryPassword: string | null;
  resultRef?: Ref<HTMLDivElement>;
  onDismiss: () => void;
  dismissLabel?: string;
}) {
  const { m } = useI18n();
  return (
    <div ref={resultRef} tabIndex={-1} role="status" className="alert alert--success created-notice">
      <span className="alert__icon" aria-hidden="true">
        ✓
      </span>
      <div className="alert__body">
        <p className="alert__title">{title}</p>
        {temporaryPassword ? <TemporaryPassword password={temporaryPassword} /> : null}
        <button type="button" className="button button--quiet button--small" onClick={onDismiss}>
          {dismissLabel ?? m.common.close}
        </button>
      </div>
    </div>
  );
}
