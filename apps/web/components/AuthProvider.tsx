'use client';

import { createContext, use, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { getServerSnapshot, getSnapshot, initSession, retrySession, signIn, signOut, signUp, subscribe, type SessionSnapshot } from '../lib/session.ts';

export interface AuthContextValue extends SessionSnapshot {
  signIn: typeof signIn;
  signUp: typeof signUp;
  signOut: typeof signOut;
  /** Checks the session again (after the server was unreachable). */
  retry: typeof retrySession;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const session = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);

  useEffect(() => {
    initSession();
  }, []);

  const value = useMemo<AuthContextValue>(() => ({ ...session, signIn, signUp, signOut, retry: retrySession }), [session]);
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const value = use(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
