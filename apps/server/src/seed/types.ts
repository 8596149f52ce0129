import type { AppContext } from '../context.ts';
import type { Caller } from '../platform/http/auth.ts';
import type { DemoArtistPlan } from './data.ts';

export interface SeedOptions {
  /** How many demo artists (the tests use a few; the default is the full demo). */
  size: number;
  /** Seed even when NODE_ENV=production. */
  force: boolean;
  /** Password of the demo accounts created by this run; a fixed demo password in development, a generated one in production. */
  password: string;
  log: (line: string) => void;
}

export interface DemoAccount {
  id: string;
  email: string;
  name: string;
  role: 'staff' | 'artist';
  /** The password when this run created the account; null when it already existed (its password is left alone). */
  password: string | null;
}

export interface DemoArtist {
  plan: DemoArtistPlan;
  id: string;
  /** Created by this run (false: found from an earlier run). */
  created: boolean;
}

/** What the steps hand each other: later steps (interactions, tasks, ...) read the artists and accounts made before them. */
export interface SeedState {
  /** The Monday the timeline hangs from: the week the demo was first seeded, so a rerun replays the same dates. */
  anchor: Date;
  staff: DemoAccount[];
  artistAccount: DemoAccount | null;
  artists: DemoArtist[];
  /** Rows this run created, by kind (zero everywhere on a rerun). */
  created: Record<string, number>;
}

export interface Seed {
  ctx: AppContext;
  options: SeedOptions;
  state: SeedState;
  /** The demo staff member acting for the team (the first staff account), or the given one. */
  caller(staffIndex?: number | null): Caller;
  count(kind: string, n?: number): void;
}

/**
 * One part of the demo dataset. A step must be idempotent: it finds what an
 * earlier run made (by a deterministic marker) and creates only what is
 * missing, through the real services.
 */
export interface SeedStep {
  name: string;
  run(seed: Seed): Promise<void>;
}
