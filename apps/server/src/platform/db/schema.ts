/**
 * The database schema, one file per module re-exported here so drizzle-kit
 * sees every table. Migrations are generated from it (`npm run db:generate`).
 */
export * from '../../modules/users/users.tables.ts';
export * from '../../modules/auth/auth.tables.ts';
export * from '../../modules/ops/ops.tables.ts';
export * from '../../modules/artists/artists.tables.ts';
export * from '../../modules/pipeline/pipeline.tables.ts';
export * from '../../modules/scoring/scoring.tables.ts';
export * from '../../modules/settings/settings.tables.ts';
export * from '../../modules/events/events.tables.ts';
export * from '../../modules/tasks/tasks.tables.ts';
export * from '../../modules/interactions/interactions.tables.ts';
export * from '../../modules/opportunities/opportunities.tables.ts';
export * from '../../modules/calendar/calendar.tables.ts';
export * from '../../modules/offers/offers.tables.ts';
export * from '../../modules/marketplace/marketplace.tables.ts';
export * from '../../modules/villas/villas.tables.ts';
export * from '../../modules/streams/streams.tables.ts';
export * from '../../modules/sponsors/sponsors.tables.ts';
export * from '../../modules/notifications/notifications.tables.ts';
export * from '../../modules/sequences/sequences.tables.ts';
export * from '../../modules/backup/backup.tables.ts';
