'use client';

import type { Role } from '@mona/shared';
import type { ReactNode } from 'react';
import { useAuth } from './AuthProvider.tsx';
import { Alert } from './Form.tsx';
import { useI18n } from './I18nProvider.tsx';

/**
 * Renders `children` only for the given roles; others see a 403 message.
 * The API checks again: this only spares people a page they cannot use.
 */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { m } = useI18n();
  const { user } = useAuth();
  if (!user || !roles.includes(user.role)) {
    return (
      <div className="page">
        <h1 className="page-title">{m.access.forbiddenTitle}</h1>
        <Alert tone="warning">{m.access.forbiddenMessage}</Alert>
      </div>
    );
  }
  return <>{children}</>;
}

export const TEAM_ROLES = ['admin', 'staff'] as const satisfies readonly Role[];
