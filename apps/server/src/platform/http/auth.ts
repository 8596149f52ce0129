import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '@mona/shared';
import { forbidden, unauthorized } from '../errors.ts';
import type { TokenSigner } from '../../modules/auth/tokens.ts';

export interface Caller {
  id: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/**
 * preHandlers that read the Bearer token; `roles` limits the route to those
 * roles. Ownership (an artist reading only their own record) is checked again
 * in each service.
 */
export function authGuards(signer: TokenSigner) {
  async function authenticate(request: FastifyRequest): Promise<Caller> {
    const header = request.headers.authorization;
    if (!header?.toLowerCase().startsWith('bearer ')) throw unauthorized();
    const claims = await signer.verify(header.slice(7).trim());
    request.caller = { id: claims.sub, role: claims.role };
    return request.caller;
  }
  return {
    authenticate,
    requireAuth: async (request: FastifyRequest, _reply: FastifyReply) => {
      await authenticate(request);
    },
    requireRoles:
      (...roles: Role[]) =>
      async (request: FastifyRequest, _reply: FastifyReply) => {
        const caller = await authenticate(request);
        if (!roles.includes(caller.role)) throw forbidden();
      },
  };
}

export type AuthGuards = ReturnType<typeof authGuards>;

/** The caller of a route guarded by requireAuth / requireRoles. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw unauthorized();
  return request.caller;
}
