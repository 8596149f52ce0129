'use client';

import { isTeamRole } from '@mona/shared';
import { useCallback, useEffect, useState } from 'react';
import { listTeam } from '../../lib/work.ts';
import { useAuth } from '../AuthProvider.tsx';

export interface TeamMember {
  id: string;
  name: string;
}

export interface TeamMembersState {
  /** Active admin and staff accounts by name; the signed-in person alone until the list arrives (or if it fails). */
  members: TeamMember[];
  loading: boolean;
  /** The list could not be loaded: only the signed-in person is offered. */
  failed: boolean;
  retry: () => void;
}

/**
 * People an artist can be assigned to, for admins and staff alike
 * (GET /api/users/team). Others get no list (the API would refuse it).
 */
export function useTeamMembers(): TeamMembersState {
  const { user } = useAuth();
  const self = user ? [{ id: user.id, name: user.name }] : [];
  const [state, setState] = useState<{ members: TeamMember[] | null; loading: boolean; failed: boolean }>({ members: null, loading: false, failed: false });
  const [run, setRun] = useState(0);
  const canList = user ? isTeamRole(user.role) : false;

  useEffect(() => {
    if (!canList) return;
    const controller = new AbortController();
    setState((current) => ({ ...current, loading: true, failed: false }));
    listTeam(controller.signal).then(
      (members) => {
        if (!controller.signal.aborted) setState({ members: members.map((t) => ({ id: t.id, name: t.name })), loading: false, failed: false });
      },
      () => {
        if (!controller.signal.aborted) setState((current) => ({ ...current, loading: false, failed: true }));
      },
    );
    return () => controller.abort();
  }, [canList, user?.id, run]);

  const retry = useCallback(() => setRun((n) => n + 1), []);
  const members = state.members ?? self;
  return { members, loading: state.loading, failed: state.failed && state.members === null, retry };
}
