/**
 * Shared by the deployment tests: the repository's deployment files, how a platform start command
 * is turned into the role the image runs, stand-ins for the platform CLIs (small shell scripts that
 * record their arguments), and a local HTTP server that answers like the deployed services and the
 * platforms' APIs.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../config/env.ts';

export { REPO_ROOT };

export const repoPath = (...parts: string[]) => path.join(REPO_ROOT, ...parts);
export const readText = (...parts: string[]) => readFileSync(repoPath(...parts), 'utf8');
export const readYaml = (...parts: string[]): unknown => parse(readText(...parts));
export const readJson = (...parts: string[]): unknown => JSON.parse(readText(...parts)) as unknown;

/**
 * Variables the manifests may set that are not keys of the server's env schema: read by the image's
 * entrypoint, by Next.js, or by the config loader outside the schema. docs/operations.md lists each.
 */
export const PLATFORM_VARIABLES: Record<string, string> = {
  API_INTERNAL_HOSTPORT: 'docker-entrypoint.sh (web): host:port of the API, made into API_INTERNAL_URL (Render fromService hostport)',
  DATABASE_CA_CERT: "docker-entrypoint.sh: the database server's CA, given to node-postgres (DigitalOcean ${db.CA_CERT})",
  APP_VERSION: 'config loader: the version reported by /health and /api/status',
};

/** The roles of scripts/docker-entrypoint.sh and what each must run. */
export const ENTRYPOINT_ROLES = ['web', 'api', 'worker', 'cli', 'migrate', 'healthcheck'] as const;

/** Splits a start command the way the platforms do (exec form: whitespace, no shell). */
export const words = (command: string) => command.trim().split(/\s+/);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without blocking the event loop (the test's HTTP server must keep answering). */
export function run(file: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: options.env, cwd: options.cwd ?? REPO_ROOT, timeout: options.timeoutMs ?? 60_000, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `mona-${prefix}-`));
}

/** Writes an executable shell script into `dir` (a stand-in for an outside CLI). */
export function writeExecutable(dir: string, name: string, body: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `#!/usr/bin/env bash\nset -uo pipefail\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** The lines the stand-in CLIs appended to their log, one invocation per line. */
export function readLog(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Route = (request: RecordedRequest) => { status: number; body: unknown } | undefined;

/** A local HTTP server: answers with the first route that matches, records every request. */
export async function startServer(route: Route) {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      requests.push(request);
      const answer = route(request) ?? { status: 404, body: { error: 'not found' } };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The system programs the scripts under test use; nothing else of the host is reachable. */
const TOOLS = ['bash', 'env', 'curl', 'git', 'sed', 'tr', 'wc', 'fold', 'sort', 'head', 'cat', 'cp', 'rm', 'mkdir', 'mktemp', 'dirname', 'sleep', 'grep', 'id'];

let toolsDir: string | undefined;
function tools(): string {
  if (toolsDir) return toolsDir;
  const dir = tempDir('tools');
  for (const tool of TOOLS) {
    const found = ['/usr/local/bin', '/usr/bin', '/bin'].map((d) => path.join(d, tool)).find((f) => existsSync(f));
    if (found) symlinkSync(found, path.join(dir, tool));
  }
  symlinkSync(process.execPath, path.join(dir, 'node'));
  toolsDir = dir;
  return dir;
}

/**
 * A PATH with the stand-ins first, then only the system programs the scripts need: a platform CLI
 * installed on the host (railway, render, doctl, docker) can never be reached by a test.
 */
export function pathWith(binDir: string): string {
  return [binDir, tools()].join(path.delimiter);
}
