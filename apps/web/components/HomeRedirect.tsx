'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { homePathFor } from '../lib/home.ts';
import { useAuth } from './AuthProvider.tsx';
import { useI18n } from './I18nProvider.tsx';
import { SessionPending, SessionUnreachable } from './SessionStates.tsx';

/** `/`: to the home of the role when signed in (artists: /portal, experts: /missions, else /status), to /login otherwise. */
export function HomeRedirect() {
  const { status, user } = useAuth();
  const { m } = useI18n();
  const router = useRouter();
  useEffect(() => {
    if (status === 'authenticated') router.replace(homePathFor(user?.role));
    else if (status === 'anonymous') router.replace('/login');
  }, [status, user, router]);
  if (status === 'unreachable') return <SessionUnreachable />;
  return <SessionPending message={status === 'loading' ? m.session.checking : m.home.redirecting} />;
}
