import type { ReactNode } from 'react';
import { AppShell } from '../../components/AppShell.tsx';

/** Signed-in pages: session guard + header. */
export default function SignedInLayout({ children }: { children: ReactNode }) {
  return <AppShell>{children}</AppShell>;
}
