'use client';

import { isTeamRole } from '@mona/shared';
import { useEffect, useState } from 'react';
import { listUsers } from '../../lib/api.ts';
import { useAuth } from '../AuthProvider.tsx';

export interface TeamMember {
  id: string;
  name: string;
}

/**
 * People an artist can be assigned to. Admins read the accounts list; staff
 * cannot, so they get themselves only (the API checks the assignee anyway).
 */
export function useTeamMembers(): TeamMember[] {
  const { user } = useAuth();
  const [members, setMembers] = useState<TeamMember[]>(() => (user ? [{ id: user.id, name: user.name }] : []));
  useEffect(() => {
    if (user?.role !== 'admin') return;
    const controller = new AbortController();
    listUsers(controller.signal).then(
      (result) => setMembers(result.users.filter((u) => isTeamRole(u.role)).map((u) => ({ id: u.id, name: u.name }))),
      () => undefined,
    );
    return () => controller.abort();
  }, [user]);
  return members;
}
