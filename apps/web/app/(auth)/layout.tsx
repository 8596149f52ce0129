import Link from 'next/link';
import type { ReactNode } from 'react';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { getRequestMessages } from '../../lib/locale-server.ts';

/** Layout of the public pages (sign in, sign up). */
export default async function AuthLayout({ children }: { children: ReactNode }) {
  const { m } = await getRequestMessages();
  return (
    <div className="auth-shell">
      <header className="auth-header">
        <Link href="/" className="brand">
          {m.common.productName}
        </Link>
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1} className="auth-main">
        {children}
      </main>
    </div>
  );
}
