/**
 * scripts/docker-entrypoint.sh, run for real with a stand-in `node` that records how it was called:
 * every start command of every platform manifest reaches the role it names, whether the platform
 * replaced the image's ENTRYPOINT or only its CMD; the health check asks a real HTTP server.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WORKER_DEFAULT_PORT } from '../runtime.ts';
import { envSchema } from '../config/env.ts';
import { pathWith, readJson, readYaml, repoPath, run, startServer, tempDir, words, writeExecutable } from './fixtures.ts';

const SCRIPT = repoPath('scripts/docker-entrypoint.sh');
const IMAGE_SCRIPT = '/app/scripts/docker-entrypoint.sh';
const API_PORT = envSchema.shape.PORT.parse(undefined);
const WEB_PORT = envSchema.shape.WEB_PORT.parse(undefined);

const dir = tempDir('entrypoint');
const bin = path.join(dir, 'bin');
const nodeOut = path.join(dir, 'node.out');
writeExecutable(
  bin,
  'node',
  `{ printf 'cwd=%s\\n' "$PWD"; for a in "$@"; do printf 'arg=%s\\n' "$a"; done
  printf 'env.API_INTERNAL_URL=%s\\nenv.DATABASE_URL=%s\\nenv.WEB_PORT=%s\\n' "\${API_INTERNAL_URL-}" "\${DATABASE_URL-}" "\${WEB_PORT-}"; } > "$FAKE_NODE_OUT"`,
);

interface NodeCall {
  cwd: string;
  args: string[];
  env: Record<string, string>;
}

function readNodeCall(): NodeCall {
  const call: NodeCall = { cwd: '', args: [], env: {} };
  for (const line of readFileSync(nodeOut, 'utf8').split('\n').filter(Boolean)) {
    const [key, ...rest] = line.split('=');
    const value = rest.join('=');
    if (key === 'cwd') call.cwd = value;
    else if (key === 'arg') call.args.push(value);
    else call.env[key!.slice('env.'.length)] = value;
  }
  return call;
}

let counter = 0;
async function entrypoint(args: string[], env: Record<string, string> = {}) {
  counter += 1;
  const healthFile = path.join(dir, `health-${counter}`);
  writeFileSync(nodeOut, '');
  const result = await run('bash', [SCRIPT, ...args], {
    env: { PATH: pathWith(bin), FAKE_NODE_OUT: nodeOut, MONA_HEALTH_FILE: healthFile, TMPDIR: dir, ...env },
  });
  let health = '';
  try {
    health = readFileSync(healthFile, 'utf8').trim();
  } catch {
    // no health file: the role failed before recording one
  }
  return { ...result, call: result.code === 0 ? readNodeCall() : undefined, health };
}

/** What each role must start. */
function expected(role: string, port: number | undefined): { cwd: string; args: string[]; health: string } {
  switch (role) {
    case 'api':
      return { cwd: repoPath(), args: ['--import', 'tsx', 'apps/server/src/entrypoints/api.ts'], health: `http://127.0.0.1:${port ?? API_PORT}/health` };
    case 'worker':
      return {
        cwd: repoPath(),
        args: ['--import', 'tsx', 'apps/server/src/entrypoints/worker.ts'],
        health: `http://127.0.0.1:${port ?? WORKER_DEFAULT_PORT}/health`,
      };
    case 'migrate':
      return { cwd: repoPath(), args: ['--import', 'tsx', 'apps/server/src/entrypoints/cli.ts', 'migrate'], health: 'none' };
    case 'web':
      return {
        cwd: repoPath('apps/web'),
        args: [repoPath('node_modules/next/dist/bin/next'), 'start', '--port', String(port ?? WEB_PORT), '--hostname', '0.0.0.0'],
        health: `http://127.0.0.1:${port ?? WEB_PORT}/healthz`,
      };
    default:
      throw new Error(`no role ${role}`);
  }
}

/** Every command of every manifest, with the role the service is meant to run and its PORT. */
function manifestCommands(): { where: string; command: string; role: string; port?: number }[] {
  const out: { where: string; command: string; role: string; port?: number }[] = [];
  const railwayVars = readJson('deploy/railway/variables.json') as Record<string, Record<string, string>>;
  for (const [service, role] of [
    ['web', 'web'],
    ['api', 'api'],
    ['worker', 'worker'],
    ['worker-media', 'worker'],
  ] as const) {
    const config = readJson(`deploy/railway/${service}.json`) as { deploy: { startCommand: string; preDeployCommand?: string[] } };
    out.push({ where: `railway ${service}`, command: config.deploy.startCommand, role, port: Number(railwayVars[service]!.PORT) });
    for (const c of config.deploy.preDeployCommand ?? []) out.push({ where: `railway ${service} pre-deploy`, command: c, role: 'migrate' });
  }
  const render = readYaml('render.yaml') as {
    services: { name: string; type: string; dockerCommand?: string; preDeployCommand?: string; envVars?: { key?: string; value?: string }[] }[];
  };
  for (const s of render.services.filter((x) => x.dockerCommand)) {
    const role = s.name === 'mona-web' ? 'web' : s.name === 'mona-api' ? 'api' : 'worker';
    const port = s.envVars?.find((v) => v.key === 'PORT')?.value;
    out.push({ where: `render ${s.name}`, command: s.dockerCommand!, role, port: port ? Number(port) : undefined });
    if (s.preDeployCommand) out.push({ where: `render ${s.name} pre-deploy`, command: s.preDeployCommand, role: 'migrate' });
  }
  const spec = readYaml('.do/app.yaml') as Record<
    'services' | 'workers' | 'jobs',
    { name: string; run_command: string; envs?: { key: string; value?: string }[] }[]
  >;
  for (const c of [...spec.services, ...spec.workers, ...spec.jobs]) {
    const role = c.name === 'migrate' ? 'migrate' : c.name.startsWith('worker') ? 'worker' : c.name;
    const port = c.envs?.find((e) => e.key === 'PORT')?.value;
    out.push({ where: `digitalocean ${c.name}`, command: c.run_command, role, port: port ? Number(port) : c.name === 'web' ? WEB_PORT : undefined });
  }
  return out;
}

describe('docker-entrypoint.sh', () => {
  test('every platform command starts its role, whether the platform replaced ENTRYPOINT or CMD', async () => {
    const commands = manifestCommands();
    assert.ok(commands.length >= 14, 'railway, render and digitalocean commands');
    for (const { where, command, role, port } of commands) {
      const parts = words(command);
      const env: Record<string, string> = port ? { PORT: String(port) } : {};
      // Railway and others: the command replaces ENTRYPOINT. Emulate tini: it runs what follows `--`.
      const afterTini = parts[0] === '/usr/bin/tini' ? parts.slice(2) : parts;
      assert.equal(afterTini[0], IMAGE_SCRIPT, `${where}: runs the image's entrypoint`);
      const replacedEntrypoint = await entrypoint(afterTini.slice(1), env);
      // Others: the command is handed to the image's ENTRYPOINT (tini -- the script) as arguments.
      const replacedCmd = await entrypoint(parts, env);
      const want = expected(role, port);
      for (const [shape, result] of [
        ['ENTRYPOINT replaced', replacedEntrypoint],
        ['CMD replaced', replacedCmd],
      ] as const) {
        assert.equal(result.code, 0, `${where} (${shape}): ${result.stderr}`);
        assert.deepEqual({ cwd: result.call!.cwd, args: result.call!.args }, { cwd: want.cwd, args: want.args }, `${where} (${shape})`);
        assert.equal(result.health, want.health, `${where} (${shape}): health URL`);
      }
    }
  });

  test('the image default (CMD web) and the cli role pass their arguments through', async () => {
    const none = await entrypoint([]);
    assert.deepEqual(none.call!.args, expected('web', undefined).args);
    const cli = await entrypoint(['cli', 'create-admin', '--email', 'you@example.com']);
    assert.deepEqual(cli.call!.args, ['--import', 'tsx', 'apps/server/src/entrypoints/cli.ts', 'create-admin', '--email', 'you@example.com']);
    assert.equal(cli.health, 'none');
    const bare = await entrypoint(['cli']);
    assert.equal(bare.code, 64);
    assert.match(bare.stderr, /Usage: docker-entrypoint\.sh <role>/);
  });

  test('an unknown role is refused with the usage', async () => {
    const result = await entrypoint(['serve']);
    assert.equal(result.code, 64);
    assert.match(result.stderr, /Unknown role: serve/);
    assert.equal(readFileSync(nodeOut, 'utf8'), '', 'nothing was started');
  });

  test('web: PORT (platforms) wins over WEB_PORT; Render host:port becomes API_INTERNAL_URL; HOST is honoured', async () => {
    const web = await entrypoint(['web'], { PORT: '10000', WEB_PORT: '3000', API_INTERNAL_HOSTPORT: 'mona-api:3001' });
    assert.deepEqual(web.call!.args.slice(1, 4), ['start', '--port', '10000']);
    assert.equal(web.call!.env.WEB_PORT, '10000');
    assert.equal(web.call!.env.API_INTERNAL_URL, 'http://mona-api:3001');
    const explicit = await entrypoint(['web'], { API_INTERNAL_URL: 'http://api.internal:3001', API_INTERNAL_HOSTPORT: 'ignored:1' });
    assert.equal(explicit.call!.env.API_INTERNAL_URL, 'http://api.internal:3001');
    const dual = await entrypoint(['web'], { HOST: '::' });
    assert.deepEqual(dual.call!.args.slice(-2), ['--hostname', '::']);
    assert.equal(dual.health, `http://127.0.0.1:${WEB_PORT}/healthz`, ':: listens on IPv4 loopback too');
    const bound = await entrypoint(['api'], { HOST: '10.1.2.3', PORT: '4000' });
    assert.equal(bound.health, 'http://10.1.2.3:4000/health');
  });

  test('DATABASE_CA_CERT is written to a file and handed to node-postgres as sslrootcert', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBdummy\n-----END CERTIFICATE-----';
    const api = await entrypoint(['api'], { DATABASE_URL: 'postgresql://doadmin:pw@db.example:25060/mona?sslmode=require', DATABASE_CA_CERT: pem });
    const ca = path.join(dir, 'mona-database-ca.pem');
    assert.equal(api.call!.env.DATABASE_URL, `postgresql://doadmin:pw@db.example:25060/mona?sslmode=require&sslrootcert=${ca}`);
    assert.equal(readFileSync(ca, 'utf8').trim(), pem);
    const plain = await entrypoint(['migrate'], { DATABASE_URL: 'postgres://u:p@h:5432/db', DATABASE_CA_CERT: pem });
    assert.equal(plain.call!.env.DATABASE_URL, `postgres://u:p@h:5432/db?sslrootcert=${ca}`);
    const untouched = await entrypoint(['worker'], { DATABASE_URL: 'postgres://u:p@h:5432/db' });
    assert.equal(untouched.call!.env.DATABASE_URL, 'postgres://u:p@h:5432/db');
  });
});

describe('docker-entrypoint.sh healthcheck (the image HEALTHCHECK)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let healthy = true;
  before(async () => {
    server = await startServer((req) => (req.url === '/health' ? { status: healthy ? 200 : 503, body: { status: healthy ? 'ok' : 'down' } } : undefined));
  });
  after(async () => server.close());

  // The real node: the check is a fetch from inside the container.
  const check = (healthFile: string) =>
    run('bash', [SCRIPT, 'healthcheck'], { env: { PATH: pathWith(path.join(dir, 'no-fakes')), MONA_HEALTH_FILE: healthFile } });

  test('healthy when the recorded URL answers 200, unhealthy on 503, on no answer, or before any process started', async () => {
    const file = path.join(dir, 'health-check');
    writeFileSync(file, `${server.url}/health\n`);
    healthy = true;
    assert.equal((await check(file)).code, 0);
    healthy = false;
    const down = await check(file);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /answered 503/);
    writeFileSync(file, 'http://127.0.0.1:1/health\n');
    assert.equal((await check(file)).code, 1);
    assert.equal((await check(path.join(dir, 'never-written'))).code, 1);
  });

  test('one-off roles (cli, migrate) report healthy', async () => {
    const file = path.join(dir, 'health-none');
    writeFileSync(file, 'none\n');
    assert.equal((await check(file)).code, 0);
  });
});
