import type { AppConfig } from './config/env.ts';
import { buildApi } from './api.ts';
import { createContext } from './context.ts';
import { createLogger } from './platform/logger.ts';
import { createPlatform } from './platform/platform.ts';

/**
 * The OpenAPI document as committed: built from the routes' zod schemas with
 * a fixed version and server so the output only changes when the API does.
 * The database pool never connects (nothing is queried).
 */
export async function renderOpenApi(config: AppConfig): Promise<string> {
  const logger = createLogger({ level: 'silent', name: 'openapi' });
  const platform = await createPlatform(
    { ...config, REDIS_URL: undefined, redisMode: 'in-process', version: '1.0.0', NEXT_PUBLIC_API_URL: 'http://localhost:3001' },
    logger,
    {
      name: 'openapi',
      embedded: 'own',
      databaseUrl: 'postgres://openapi@127.0.0.1:1/none',
    },
  );
  const app = await buildApi(createContext(platform));
  await app.ready();
  const document = JSON.stringify(app.swagger(), null, 2) + '\n';
  await app.close();
  await platform.close();
  return document;
}
