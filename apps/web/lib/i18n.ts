import { en } from '../messages/en.ts';
import { fr, type Messages } from '../messages/fr.ts';

export type { Messages };

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';
/** Cookie holding the chosen locale (read by the root layout, written by the switch). */
export const LOCALE_COOKIE = 'locale';

const dictionaries: Record<Locale, Messages> = { fr, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function toLocale(value: unknown): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

export function getMessages(locale: Locale): Messages {
  return dictionaries[locale];
}

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = values[key];
    return value === undefined ? whole : String(value);
  });
}

export interface PluralForms {
  one: string;
  other: string;
}

/** Picks the plural form for `count` (CLDR rules of the locale) and fills `{count}`. */
export function plural(locale: Locale, forms: PluralForms, count: number): string {
  const rule = new Intl.PluralRules(locale).select(count);
  const template = rule === 'one' ? forms.one : forms.other;
  return format(template, { count: new Intl.NumberFormat(locale).format(count) });
}
