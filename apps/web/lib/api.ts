import { unwrap } from '@mona/sdk';
import type { STAFF_CREATED_ROLES } from '@mona/shared';
import { api } from './session.ts';

export { api };

export const fetchStatus = (signal?: AbortSignal) => unwrap(api.GET('/api/status', { signal }));
export type StatusReport = Awaited<ReturnType<typeof fetchStatus>>;
export type DependencyStatus = StatusReport['dependencies'][number];
export type ServiceStatus = StatusReport['services'][number];

export const listUsers = (signal?: AbortSignal) => unwrap(api.GET('/api/users', { signal }));
export type UserList = Awaited<ReturnType<typeof listUsers>>['users'];

export type StaffCreatedRole = (typeof STAFF_CREATED_ROLES)[number];
export interface CreateUserInput {
  email: string;
  name: string;
  role: StaffCreatedRole;
  password?: string;
}
export const createUser = (body: CreateUserInput) => unwrap(api.POST('/api/users', { body }));
export type CreatedUser = Awaited<ReturnType<typeof createUser>>;
