'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useAuth } from './AuthProvider.tsx';
import { useI18n } from './I18nProvider.tsx';
import { SessionPending, SessionUnreachable } from './SessionStates.tsx';

/** `/`: to /status when signed in, to /login otherwise. */
export function HomeRedirect() {
  const { status } = useAuth();
  const { m } = useI18n();
  const router = useRouter();
  useEffect(() => {
    if (status === 'authenticated') router.replace('/status');
    else if (status === 'anonymous') router.replace('/login');
  }, [status, router]);
  if (status === 'unreachable') return <SessionUnreachable />;
  return <SessionPending message={status === 'loading' ? m.session.checking : m.home.redirecting} />;
}
