import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig, REPO_ROOT } from '../config/env.ts';
import { renderOpenApi } from '../openapi.ts';

/** Writes the OpenAPI document the SDK is generated from (packages/sdk/openapi.json). */
const target = path.join(REPO_ROOT, 'packages/sdk/openapi.json');
writeFileSync(target, await renderOpenApi(parseConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), ENCRYPTION_KEY: 'x'.repeat(32) })));
process.stdout.write(`Wrote ${path.relative(process.cwd(), target)}\n`);
