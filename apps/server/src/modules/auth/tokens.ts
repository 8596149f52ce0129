import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { ROLES, type Role } from '@mona/shared';
import { unauthorized } from '../../platform/errors.ts';

const ISSUER = 'mona-spark';
const AUDIENCE = 'mona-spark-api';

export interface AccessClaims {
  sub: string;
  role: Role;
}

/** Short-lived HS256 access tokens signed with JWT_SECRET. */
export class TokenSigner {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    readonly accessTtlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(claims: AccessClaims): Promise<string> {
    return new SignJWT({ role: claims.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.accessTtlSeconds}s`)
      .sign(this.key);
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      const role = payload.role;
      if (typeof payload.sub !== 'string' || typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
        throw unauthorized('Invalid access token');
      }
      return { sub: payload.sub, role: role as Role };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthorized('Access token expired', 'token_expired');
      if (error instanceof errors.JOSEError) throw unauthorized('Invalid access token');
      throw error;
    }
  }
}

export const newRefreshToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
