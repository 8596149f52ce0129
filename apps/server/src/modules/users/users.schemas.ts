import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, ROLES, STAFF_CREATED_ROLES } from '@mona/shared';

export const emailSchema = z
  .email({ message: 'Enter a valid email address' })
  .max(254)
  .transform((v) => v.trim().toLowerCase());
export const nameSchema = z.string().trim().min(1, 'Name is required').max(120);
export const passwordInputSchema = z.string().max(PASSWORD_MAX_LENGTH);

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    locale: z.enum(['fr', 'en']),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });
export type UserDto = z.infer<typeof userSchema>;

export const createUserBody = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  role: z.enum(STAFF_CREATED_ROLES),
  password: passwordInputSchema.optional().describe('Leave out to generate a temporary password'),
});

export const createUserResponse = z.object({ user: userSchema, temporaryPassword: z.string().nullable() });
export const listUsersResponse = z.object({ users: z.array(userSchema) });

export const teamMemberSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(ROLES),
  })
  .meta({ id: 'TeamMember' });
export type TeamMemberDto = z.infer<typeof teamMemberSchema>;
export const teamMembersResponse = z.object({ members: z.array(teamMemberSchema).describe('Active admin and staff accounts, by name') });
