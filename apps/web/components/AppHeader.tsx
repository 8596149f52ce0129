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
import { NotificationBell } from './notifications/NotificationBell.tsx';

interface NavItem {
  href: string;
  label: (m: Messages) => string;
}

const STATUS: NavItem = { href: '/status', label: (m) => m.header.status };
const USERS: NavItem = { href: '/users', label: (m) => m.header.users };
const OPS: NavItem = { href: '/ops', label: (m) => m.ops.nav };
const ARTISTS: NavItem = { href: '/artists', label: (m) => m.header.artists };
const PIPELINE: NavItem = { href: '/pipeline', label: (m) => m.header.pipeline };
const WORK: NavItem[] = (['tasks', 'calendar', 'opportunities'] as const).map((k) => ({ href: `/${k}`, label: (m) => m.work.nav[k] }));
const VILLAS: NavItem = { href: '/villas', label: (m) => m.spark.nav.villas };
const SPONSORS: NavItem = { href: '/sponsors', label: (m) => m.spark.nav.sponsors };
const SPONSOR: NavItem = { href: '/sponsor', label: (m) => m.sponsor.nav.portal };
const COMMERCE = (k: keyof Messages['commerce']['nav']): NavItem => ({ href: `/${k}`, label: (m) => m.commerce.nav[k] });
const NOTIFICATIONS: NavItem[] = (['messages', 'sequences', 'outbox'] as const).map((k) => ({ href: `/${k}`, label: (m) => m.notifications.nav[k] }));

/** Navigation entries by role. */
export const NAV_BY_ROLE: Record<Role, NavItem[]> = {
  admin: [ARTISTS, PIPELINE, ...WORK, VILLAS, SPONSORS, COMMERCE('orders'), COMMERCE('offers'), COMMERCE('marketplace'), ...NOTIFICATIONS, STATUS, OPS, USERS],
  staff: [ARTISTS, PIPELINE, ...WORK, VILLAS, SPONSORS, COMMERCE('orders'), COMMERCE('offers'), COMMERCE('marketplace'), ...NOTIFICATIONS, STATUS],
  artist: [COMMERCE('portal'), STATUS],
  expert: [COMMERCE('missions'), STATUS],
  sponsor: [SPONSOR, STATUS],
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
          <NotificationBell />
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
