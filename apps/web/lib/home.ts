import type { Role } from '@mona/shared';

/** Where a person lands after signing in (or on `/`): artists on their portal, experts on their missions. */
export function homePathFor(role: Role | undefined): string {
  if (role === 'artist') return '/portal';
  if (role === 'expert') return '/missions';
  return '/status';
}
