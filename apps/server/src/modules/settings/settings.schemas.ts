import { z } from 'zod';
import { DEFAULT_SCORING, SCORE_CATEGORIES, type ScoringSettings } from '@mona/shared';
import { DEFAULT_MARKETPLACE, marketplaceSettingsSchema } from '../marketplace/marketplace.commission.ts';
import { DEFAULT_NOTIFICATIONS_SETTINGS, notificationsSettingsSchema } from '../notifications/notifications.schemas.ts';
import { DEFAULT_MONITORING_SETTINGS, monitoringSettingsSchema } from '../ops/business-metrics.ts';

const points = z.number().int().min(0).max(120);

export const scoringSettingsSchema = z
  .strictObject({
    maxima: z.strictObject(Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, points])) as Record<(typeof SCORE_CATEGORIES)[number], typeof points>),
    bonusPoints: z.number().int().min(0).max(20),
    tierThresholds: z.strictObject({ starter: points, coprod: points, premium: points, spark_ready: points }),
  })
  .refine(
    (s) =>
      s.tierThresholds.starter < s.tierThresholds.coprod &&
      s.tierThresholds.coprod < s.tierThresholds.premium &&
      s.tierThresholds.premium < s.tierThresholds.spark_ready,
    {
      message: 'Tier thresholds must increase: starter < co-prod < premium < SPARK-ready',
      path: ['tierThresholds'],
    },
  ) satisfies z.ZodType<ScoringSettings>;

/** Every setting staff can change: its schema and its default. */
export const SETTINGS = {
  scoring: { schema: scoringSettingsSchema, defaults: DEFAULT_SCORING, description: 'MONA score: category maxima, bonus points, tier thresholds' },
  marketplace: {
    schema: marketplaceSettingsSchema,
    defaults: DEFAULT_MARKETPLACE,
    description: 'Marketplace: expert commission tiers (agency share of the mission price by missions delivered in the month)',
  },
  notifications: {
    schema: notificationsSettingsSchema,
    defaults: DEFAULT_NOTIFICATIONS_SETTINGS,
    description: 'Notifications: time zone and send windows, rate limits per channel (messages per second), retries, worker lease and batch size',
  },
  monitoring: {
    schema: monitoringSettingsSchema,
    defaults: DEFAULT_MONITORING_SETTINGS,
    description: 'Monitoring: pipeline conversion targets per stage (to the next stage) over a sliding window, and the artists needed before the alert applies',
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]['schema']>;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export const settingEntrySchema = z.object({
  key: z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]]),
  value: z.unknown(),
  isDefault: z.boolean(),
  description: z.string(),
  updatedAt: z.string().nullable(),
});
export const settingsListResponse = z.object({ settings: z.array(settingEntrySchema) });
export const settingParams = z.strictObject({ key: z.enum(SETTING_KEYS as [SettingKey, ...SettingKey[]]) });
export const settingBody = z.strictObject({ value: z.unknown() });
