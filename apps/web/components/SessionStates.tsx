'use client';

import { useAuth } from './AuthProvider.tsx';
import { useI18n } from './I18nProvider.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

function TopBar() {
  const { m } = useI18n();
  return (
    <header className="auth-header">
      <span className="brand">{m.common.productName}</span>
      <LanguageSwitch />
    </header>
  );
}

/** Full-page placeholder while the session is being checked or a redirect is on its way. */
export function SessionPending({ message }: { message: string }) {
  return (
    <>
      <TopBar />
      <main id="main" tabIndex={-1} className="session-pending">
        <p role="status" className="session-pending__message">
          <span className="spinner" aria-hidden="true" />
          {message}
        </p>
      </main>
    </>
  );
}

/** The API could not be reached to check the session: explain and offer a retry. */
export function SessionUnreachable() {
  const { m } = useI18n();
  const { retry } = useAuth();
  return (
    <>
      <TopBar />
      <main id="main" tabIndex={-1} className="session-pending">
        <div className="card session-card" role="alert">
          <h1 className="page-title">{m.session.unreachableTitle}</h1>
          <p>{m.session.unreachableMessage}</p>
          <button type="button" className="button button--primary" onClick={() => void retry()}>
            {m.common.retry}
          </button>
        </div>
      </main>
    </>
  );
}
