import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { PASSWORD_MIN_LENGTH } from '@mona/shared';

const estimator = new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });

const commonPasswords = new Set(common.dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
// 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot read).
const ARGON2_OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, ARGON2_OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not tell. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-but-the-same-cost');
  return dummyHash;
}

/**
 * Why a password is refused, or null when it is acceptable: at least
 * PASSWORD_MIN_LENGTH characters, not in the list of common passwords, and
 * not trivially guessable from the person's own name or email.
 */
export function passwordProblem(password: string, context: string[] = []): PasswordProblem | null {
  if (password.length < PASSWORD_MIN_LENGTH) return { code: 'password_too_short', message: `Password must be at least ${PASSWORD_MIN_LENGTH} characters` };
  if (commonPasswords.has(password.toLowerCase())) return { code: 'password_common', message: 'This password is too common; choose another one' };
  const result = estimator.check(password, context.filter(Boolean));
  if (result.score < 2) return { code: 'password_guessable', message: 'This password is too easy to guess; add words or characters' };
  return null;
}

export interface PasswordProblem {
  code: 'password_too_short' | 'password_common' | 'password_guessable';
  message: string;
}
