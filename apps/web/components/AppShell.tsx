'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { format } from '../lib/i18n.ts';
import { AppHeader } from './AppHeader.tsx';
import { useAuth } from './AuthProvider.tsx';
import { useI18n } from './I18nProvider.tsx';
import { SessionPending, SessionUnreachable } from './SessionStates.tsx';

/**
 * Layout of the signed-in pages: waits for the silent refresh, sends anonymous
 * visitors to /login?next=<this page>, then renders the header and the page.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const { m } = useI18n();
  const router = useRouter();
  const pathname = usePathname();

  useEffect(() => {
    if (auth.status !== 'anonymous') return;
    if (auth.endReason === 'signed-out') {
      router.replace('/login');
    } else {
      router.replace(`/login?next=${encodeURIComponent(pathname + window.location.search)}`);
    }
  }, [auth.status, auth.endReason, pathname, router]);

  if (auth.status === 'loading') return <SessionPending message={m.session.checking} />;
  if (auth.status === 'unreachable') return <SessionUnreachable />;
  if (auth.status === 'anonymous' || !auth.user) return <SessionPending message={m.session.redirecting} />;

  const { user } = auth;
  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <main id="main" tabIndex={-1} className="app-main">
        <p className="welcome">{format(m.welcome[user.role], { name: user.name })}</p>
        {children}
      </main>
    </div>
  );
}
