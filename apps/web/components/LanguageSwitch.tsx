'use client';

import { LOCALES } from '../lib/i18n.ts';
import { useI18n } from './I18nProvider.tsx';

/** FR / EN toggle: two pressed-state buttons in a labelled group. */
export function LanguageSwitch() {
  const { locale, m, setLocale } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={m.common.language}>
      {LOCALES.map((code) => (
        <button
          key={code}
          type="button"
          className="lang-switch__button"
          lang={code}
          title={m.common.languages[code]}
          aria-pressed={locale === code}
          onClick={() => {
            if (locale !== code) setLocale(code);
          }}
        >
          {code.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
