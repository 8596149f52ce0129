export const ROLES = ['admin', 'staff', 'artist', 'expert', 'sponsor'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a person may pick when signing up on their own. */
export const SELF_SIGNUP_ROLES = ['artist', 'sponsor'] as const satisfies readonly Role[];
export type SelfSignupRole = (typeof SELF_SIGNUP_ROLES)[number];

/** Roles an admin creates from the users page or `POST /api/users`. */
export const STAFF_CREATED_ROLES = ['staff', 'expert'] as const satisfies readonly Role[];

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** Roles that see the back office (CRM, villas, ops pages). */
export function isTeamRole(role: Role): boolean {
  return role === 'admin' || role === 'staff';
}
