/** Job families a worker process can run (`WORKERS=analytics,media,...`). */
export const WORKER_FAMILIES = ['analytics', 'media', 'notifications', 'streaming', 'maintenance'] as const;
export type WorkerFamily = (typeof WORKER_FAMILIES)[number];

/** The four product services of the seed document; `maintenance` is the platform's own family. */
export const PRODUCT_SERVICES = ['analytics', 'media', 'notifications', 'streaming'] as const;
