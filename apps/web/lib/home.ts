import type { Role } from '@mona/shared';

/** Where a person lands after signing in or signing up (or on `/`): artists on their portal, experts on their missions, sponsors on their sponsor space, others on the status page. */
export function homePathFor(role: Role | undefined): string {
  if (role === 'artist') return '/portal';
  if (role === 'expert') return '/missions';
  if (role === 'sponsor') return '/sponsor';
  return '/status';
}
