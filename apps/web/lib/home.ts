import type { Role } from '@mona/shared';

/** Where a person lands after signing in or signing up (or on `/`): artists on their portal, experts on their missions, others on the status page. */
export function homePathFor(role: Role | undefined): string {
  if (role === 'artist') return '/portal';
  if (role === 'expert') return '/missions';
  return '/status';
}
