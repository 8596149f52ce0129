import { isTeamRole } from '@mona/shared';
import { AppError, forbidden } from '../../platform/errors.ts';
import type { Caller } from '../../platform/http/auth.ts';

/** A 400 naming one field, in the shape the web app puts next to that field. */
export const fieldError = (path: string, message: string) => new AppError(400, 'validation_failed', message, { issues: [{ path, message }] });

/** The team (admin, staff) only; routes check the role too, services check it again. */
export function assertTeam(caller: Caller, message = 'Only the team can do this'): void {
  if (!isTeamRole(caller.role)) throw forbidden(message);
}

/**
 * `userId` must be an active team account (admin or staff, not disabled), else
 * a 400 on `path`. Used for assignees and owners of CRM records.
 */
export async function assertActiveTeamMember(
  users: { findById(id: string): Promise<{ role: Caller['role']; disabledAt: Date | null } | undefined> },
  userId: string,
  path: string,
): Promise<void> {
  const user = await users.findById(userId);
  if (!user || !isTeamRole(user.role) || user.disabledAt) throw fieldError(path, 'Choose an active staff or admin account');
}
