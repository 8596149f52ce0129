import { z } from 'zod';
import { SELF_SIGNUP_ROLES } from '@mona/shared';
import { emailSchema, nameSchema, passwordInputSchema, userSchema } from '../users/users.schemas.ts';

export const registerBody = z.strictObject({
  email: emailSchema,
  password: passwordInputSchema,
  name: nameSchema,
  role: z.enum(SELF_SIGNUP_ROLES),
  consentMarketing: z
    .boolean()
    .optional()
    .describe('Artists: agree to receive advice and offers by email and SMS (withdrawn any time from the portal or any message); ignored for sponsors'),
});

export const loginBody = z.strictObject({
  email: z.string().trim().toLowerCase().min(1, 'Email is required').max(254),
  password: z.string().min(1, 'Password is required').max(1000),
});

export const refreshBody = z
  .strictObject({ refreshToken: z.string().min(1).max(200).optional().describe('Omit to use the httpOnly refresh cookie') })
  .optional();

export const sessionResponse = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().describe('Access token lifetime in seconds'),
    user: userSchema,
  })
  .meta({ id: 'Session' });

export const meResponse = z.object({ user: userSchema });
