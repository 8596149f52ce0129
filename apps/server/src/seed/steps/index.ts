import type { SeedStep } from '../types.ts';
import { accountsStep } from './accounts.ts';
import { artistAccountStep } from './artist-account.ts';
import { artistsStep } from './artists.ts';
import { pipelineStep } from './pipeline.ts';
import { scoresStep } from './scores.ts';

/**
 * The demo dataset, in order. Each step reads what the earlier ones put in the
 * seed state (accounts, artists) and must be idempotent. The modules still to
 * come (interactions, opportunities, tasks, calendar, offers and orders,
 * marketplace missions) add their step here, after the ones they build on.
 */
export const SEED_STEPS: readonly SeedStep[] = [accountsStep, artistsStep, pipelineStep, scoresStep, artistAccountStep];
