import { cookies } from 'next/headers';
import { getMessages, LOCALE_COOKIE, toLocale, type Locale, type Messages } from './i18n.ts';

/** The request's locale, from the `locale` cookie (French by default). */
export async function getRequestLocale(): Promise<Locale> {
  const store = await cookies();
  return toLocale(store.get(LOCALE_COOKIE)?.value);
}

export async function getRequestMessages(): Promise<{ locale: Locale; m: Messages }> {
  const locale = await getRequestLocale();
  return { locale, m: getMessages(locale) };
}
