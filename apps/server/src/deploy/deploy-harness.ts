/**
 * The stage deploy-cloud.sh runs on in its tests. The outside platform CLIs (railway, render, doctl,
 * docker) are stand-ins: small shell scripts first in PATH that record their arguments and answer
 * like the real ones (output shapes taken from the CLIs' source). A local HTTP server plays the
 * deployed services (/healthz, /ready, /api/status) and the platforms' APIs (Railway GraphQL,
 * Render and DigitalOcean REST).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { WORKER_FAMILIES } from '@mona/shared';
import { pathWith, repoPath, run, startServer, tempDir, writeExecutable, type RecordedRequest } from './fixtures.ts';

const SCRIPT = repoPath('deploy-cloud.sh');
export { SCRIPT };
export const JWT = 'Zq8s0Vb2Tn4Lx6Wr9Yp1Ma3Ce5Gi7Ok-jwt-4Hd2Jf4Kl6Np8Qr0St';
export const KEY = 'Hd2Jf4Kl6Np8Qr0St2Uv4Wx6Yz8Ab0Cd-enc-Zq8s0Vb2Tn4Lx6Wr9';

export const dir = tempDir('deploy');
export const bin = path.join(dir, 'bin');
export const log = path.join(dir, 'cli.log');
export const state = path.join(dir, 'state');

// railway: `status`, `variables … --set`, `up --service S --ci`, `deployment list --service S --json`.
writeExecutable(
  bin,
  'railway',
  `printf 'railway %s\\n' "$*" >> "$FAKE_LOG"
service=""; prev=""; for a in "$@"; do [ "$prev" = "--service" ] && service="$a"; prev="$a"; done
mkdir -p "$FAKE_STATE"; list="$FAKE_STATE/railway-$service.json"
case "$1" in
  status) [ "\${FAKE_LOGGED_OUT:-}" = 1 ] && { echo "Unauthorized. Please login with \\\`railway login\\\`" >&2; exit 1; }; echo "Project: mona-spark" ;;
  variables) ;;
  up) printf '[{"id":"new-%s","status":"%s"},{"id":"old-%s","status":"REMOVED"}]' "$service" "\${FAKE_UP_STATUS:-SUCCESS}" "$service" > "$list"; echo "Build done" ;;
  deployment) [ -f "$list" ] || printf '[{"id":"old-%s","status":"SUCCESS"},{"id":"older-%s","status":"REMOVED"}]' "$service" "$service" > "$list"; cat "$list" ;;
  *) echo "railway: unexpected $*" >&2; exit 2 ;;
esac`,
);

// render: `whoami -o json`, `blueprints validate`, `services -o json`, `deploys list|create <id>`.
writeExecutable(
  bin,
  'render',
  `printf 'render %s\\n' "$*" >> "$FAKE_LOG"
case "$1 \${2:-}" in
  "whoami "*) echo '{"name":"ops","email":"ops@example.com"}' ;;
  "blueprints validate") echo '{"valid":true,"plan":{"services":["mona-api"],"totalActions":0}}' ;;
  "services "*) echo '[{"service":{"id":"srv-api","name":"mona-api","type":"web_service"},"cursor":"a"},{"service":{"id":"srv-web","name":"mona-web"},"cursor":"b"},{"service":{"id":"srv-wrk","name":"mona-worker"},"cursor":"c"},{"service":{"id":"srv-med","name":"mona-worker-media"},"cursor":"d"},{"service":{"id":"red-kv","name":"mona-kv"},"cursor":"e"}]' ;;
  "deploys list") echo "[{\\"deploy\\":{\\"id\\":\\"dep-new-$3\\",\\"status\\":\\"build_failed\\"}},{\\"deploy\\":{\\"id\\":\\"dep-live-$3\\",\\"status\\":\\"live\\"}},{\\"deploy\\":{\\"id\\":\\"dep-old-$3\\",\\"status\\":\\"deactivated\\"}}]" ;;
  "deploys create") [ "$3" = "\${FAKE_RENDER_FAIL:-}" ] && { echo "deploy failed: update_failed" >&2; exit 1; }; echo "{\\"id\\":\\"dep-next-$3\\",\\"status\\":\\"live\\"}" ;;
  *) echo "render: unexpected $*" >&2; exit 2 ;;
esac`,
);

// doctl: `account get`, `apps spec validate F`, `apps get ID -o json`, `apps update|create --spec F`.
writeExecutable(
  bin,
  'doctl',
  `printf 'doctl %s\\n' "$*" >> "$FAKE_LOG"
spec=""; prev=""; for a in "$@"; do [ "$prev" = "--spec" ] && spec="$a"; prev="$a"; done
case "$1 $2" in
  "account get") echo "ops@example.com" ;;
  "apps spec") cp "$4" "$FAKE_STATE/validated-spec.yaml"; echo "The spec is valid." ;;
  "apps get") echo "[{\\"id\\":\\"$3\\",\\"live_url\\":\\"https://mona.ondigitalocean.app\\",\\"active_deployment\\":{\\"id\\":\\"dep-active\\",\\"phase\\":\\"ACTIVE\\"}}]" ;;
  "apps update") cp "$spec" "$FAKE_STATE/deployed-spec.yaml"; echo "[{\\"id\\":\\"$3\\"}]" ;;
  "apps create") cp "$spec" "$FAKE_STATE/deployed-spec.yaml"; echo '[{"id":"app-created-1","spec":{"name":"mona-spark"}}]' ;;
  *) echo "doctl: unexpected $*" >&2; exit 2 ;;
esac`,
);

// docker: a client without an engine, like this machine.
writeExecutable(
  bin,
  'docker',
  `printf 'docker %s\\n' "$*" >> "$FAKE_LOG"
[ "$1" = info ] && { echo "Cannot connect to the Docker daemon" >&2; exit 1; }
exit 0`,
);

/** What the local server answers: the deployed services and the platforms' APIs. */
export const answers = { web: 200, api: 200, familiesReady: true, renderJwt: JWT };

let server: Awaited<ReturnType<typeof startServer>>;

/** Registers the hooks of a deploy-cloud.sh test file: the local server, and a clean slate before each test. */
export function useDeployHarness(): void {
  before(async () => {
    server = await startServer((req) => {
      const url = req.url;
      if (url === '/web/healthz') return { status: answers.web, body: { status: 'ok', service: 'web' } };
      if (url === '/api/ready') return { status: answers.api, body: { status: answers.api === 200 ? 'ready' : 'unavailable' } };
      if (url === '/api/api/status') {
        const services = [
          { name: 'api', status: 'up', ready: true },
          ...WORKER_FAMILIES.map((name) => ({ name, status: 'up', ready: answers.familiesReady || name !== 'media' })),
        ];
        return { status: 200, body: { version: '0.1.0', services } };
      }
      if (url === '/railway/graphql') return { status: 200, body: { data: { deploymentRollback: true } } };
      if (url.startsWith('/render/v1/env-groups?')) return { status: 200, body: [{ envGroup: { id: 'evg-secrets', name: 'mona-secrets' }, cursor: 'x' }] };
      if (url === '/render/v1/env-groups/evg-secrets')
        return {
          status: 200,
          body: {
            id: 'evg-secrets',
            name: 'mona-secrets',
            envVars: [
              { key: 'JWT_SECRET', value: answers.renderJwt },
              { key: 'ENCRYPTION_KEY', value: KEY },
            ],
          },
        };
      if (/^\/render\/v1\/services\/[^/]+\/rollback$/.test(url)) return { status: 201, body: { id: 'dep-rollback' } };
      if (/^\/do\/v2\/apps\/[^/]+\/rollback$/.test(url)) return { status: 200, body: { deployment: { id: 'dep-rollback' } } };
      return undefined;
    });
  });
  after(async () => server.close());

  beforeEach(() => {
    rmSync(log, { force: true });
    rmSync(state, { recursive: true, force: true });
    Object.assign(answers, { web: 200, api: 200, familiesReady: true, renderJwt: JWT });
    server.requests.length = 0;
  });
}

export const requests = (): RecordedRequest[] => server.requests;

export function deploy(args: string[], env: Record<string, string> = {}) {
  return run('bash', [SCRIPT, ...args], {
    env: {
      PATH: pathWith(bin),
      HOME: dir,
      TMPDIR: dir,
      FAKE_LOG: log,
      FAKE_STATE: state,
      DEPLOY_STATE_DIR: state,
      DEPLOY_READY_ATTEMPTS: '3',
      DEPLOY_READY_INTERVAL: '0.05',
      DEPLOY_STATUS_ATTEMPTS: '3',
      DEPLOY_STATUS_INTERVAL: '0.05',
      RAILWAY_API_URL: `${server.url}/railway/graphql`,
      RENDER_API_URL: `${server.url}/render/v1`,
      DIGITALOCEAN_API_URL: `${server.url}/do`,
      NEXT_PUBLIC_APP_URL: `${server.url}/web`,
      NEXT_PUBLIC_API_URL: `${server.url}/api/`,
      JWT_SECRET: JWT,
      ENCRYPTION_KEY: KEY,
      ...env,
    },
    timeoutMs: 120_000,
  });
}

export const requestsTo = (prefix: string): RecordedRequest[] => server.requests.filter((r) => r.url.startsWith(prefix));
export const output = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

export function assertNoSecretShown(result: { stdout: string; stderr: string }, ...secrets: string[]) {
  for (const secret of [JWT, KEY, ...secrets]) assert.ok(!output(result).includes(secret), 'a secret value was printed');
}
