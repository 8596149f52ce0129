export * from './roles.ts';
export * from './errors.ts';
export * from './services.ts';
export * from './crm.ts';
export * from './scoring.ts';
export * from './spark.ts';
export * from './notifications.ts';
