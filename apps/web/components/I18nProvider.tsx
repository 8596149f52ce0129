'use client';

import { useRouter } from 'next/navigation';
import { createContext, use, useCallback, useMemo, useState, type ReactNode } from 'react';
import { getMessages, LOCALE_COOKIE, type Locale, type Messages } from '../lib/i18n.ts';

export interface I18nContextValue {
  locale: Locale;
  /** The messages of the current locale. */
  m: Messages;
  setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18nContextValue | null>(null);

const ONE_YEAR_SECONDS = 60 * 60 * 24 * 365;

export function I18nProvider({ initialLocale, children }: { initialLocale: Locale; children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const router = useRouter();

  const setLocale = useCallback(
    (next: Locale) => {
      document.cookie = `${LOCALE_COOKIE}=${next}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax`;
      document.documentElement.lang = next;
      setLocaleState(next);
      // Re-render the server parts (document title, <html lang>) with the new cookie.
      router.refresh();
    },
    [router],
  );

  const value = useMemo<I18nContextValue>(() => ({ locale, m: getMessages(locale), setLocale }), [locale, setLocale]);
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18nContextValue {
  const value = use(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
