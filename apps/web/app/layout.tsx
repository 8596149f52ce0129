import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { AuthProvider } from '../components/AuthProvider.tsx';
import { I18nProvider } from '../components/I18nProvider.tsx';
import { getRequestMessages } from '../lib/locale-server.ts';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const { m } = await getRequestMessages();
  return {
    title: { default: m.common.productName, template: `%s · ${m.common.productName}` },
    description: m.meta.description,
    robots: { index: false, follow: false },
  };
}

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, m } = await getRequestMessages();
  return (
    <html lang={locale}>
      <body>
        <a className="skip-link" href="#main">
          {m.common.skipToContent}
        </a>
        <I18nProvider initialLocale={locale}>
          <AuthProvider>{children}</AuthProvider>
        </I18nProvider>
      </body>
    </html>
  );
}
