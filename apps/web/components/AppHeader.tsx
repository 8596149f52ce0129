'use client';

import type { Role } from '@mona/shared';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import type { Messages } from '../lib/i18n.ts';
import type { User } from '../lib/session.ts';
import { useAuth } from './AuthProvider.tsx';
import { useI18n } from './I18nProvider.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

interface NavItem {
  href: string;
  label: (m: Messages) => string;
}

const STATUS: NavItem = { href: '/status', label: (m) => m.header.status };
const USERS: NavItem = { href: '/users', label: (m) => m.header.users };

/** Navigation entries by role. */
export const NAV_BY_ROLE: Record<Role, NavItem[]> = {
  admin: [STATUS, USERS],
  staff: [STATUS],
  artist: [STATUS],
  expert: [STATUS],
  sponsor: [STATUS],
};

export function AppHeader({ user }: { user: User }) {
  const { m } = useI18n();
  const { signOut } = useAuth();
  const pathname = usePathname();
  const [signingOut, setSigningOut] = useState(false);

  return (
    <header className="app-header">
      <div className="app-header__inner">
        <Link href="/status" className="brand">
          {m.common.productName}
        </Link>
        <nav className="app-nav" aria-label={m.header.navLabel}>
          <ul>
            {NAV_BY_ROLE[user.role].map((item) => {
              const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
              return (
                <li key={item.href}>
                  <Link href={item.href} className="app-nav__link" aria-current={current ? 'page' : undefined}>
                    {item.label(m)}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="app-header__tools">
          <p className="user-chip">
            <span className="visually-hidden">{m.header.signedInLabel} </span>
            <span className="user-chip__name">{user.name}</span>
            <span className="user-chip__role">{m.roles[user.role]}</span>
          </p>
          <LanguageSwitch />
          <button
            type="button"
            className="button button--quiet"
            disabled={signingOut}
            onClick={async () => {
              setSigningOut(true);
              try {
                await signOut();
              } finally {
                setSigningOut(false);
              }
            }}
          >
            {signingOut ? m.header.signingOut : m.header.signOut}
          </button>
        </div>
      </div>
    </header>
  );
}
