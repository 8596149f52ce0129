import type { SeedStep } from '../types.ts';
import { accountsStep } from './accounts.ts';
import { artistAccountStep } from './artist-account.ts';
import { artistsStep } from './artists.ts';
import { crmWorkStep } from './crm-work.ts';
import { pipelineStep } from './pipeline.ts';
import { scoresStep } from './scores.ts';

/**
 * The demo dataset, in order. Each step reads what the earlier ones put in the
 * seed state (accounts, artists) and must be idempotent. A module adds its step
 * here, after the ones it builds on.
 */
export const SEED_STEPS: readonly SeedStep[] = [accountsStep, artistsStep, pipelineStep, scoresStep, crmWorkStep, artistAccountStep];
