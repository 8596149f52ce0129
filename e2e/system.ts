import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'artifacts/e2e');

export interface RunningSystem {
  webUrl: string;
  apiUrl: string;
  /** The environment the system runs with (DATA_DIR, EMBEDDED_PG_PORT...): a CLI run with it reaches the same database. */
  env: NodeJS.ProcessEnv;
  output: () => string;
  /** Sends Ctrl-C (SIGINT) and resolves with the exit code and how long it took. */
  interrupt(): Promise<{ code: number | null; ms: number }>;
  kill(): void;
}

/** Starts the system exactly as `npm start` does, on its own ports and data folder. */
export async function startSystem(ports: { web: number; api: number; pg: number }, extraEnv: Record<string, string> = {}): Promise<RunningSystem> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mona-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: '',
    REDIS_URL: '',
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    PORT: String(ports.api),
    WEB_PORT: String(ports.web),
    EMBEDDED_PG_PORT: String(ports.pg),
    NEXT_PUBLIC_APP_URL: `http://localhost:${ports.web}`,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 300_000;
  while (!output.includes('Press Ctrl-C to stop')) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  /**
   * The system's log (LOG_LEVEL=warn) goes to artifacts/e2e/system-<api port>.log, and its
   * errors to this run's output: a browser step that times out is often explained there
   * (a request that failed on the server), and CI keeps only the output.
   */
  const keepLog = () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, `system-${ports.api}.log`), output);
    const errors = output.split('\n').filter((line) => /"level":(50|60)\b/.test(line));
    if (errors.length > 0) {
      process.stdout.write(
        `# the system on :${ports.api} logged ${errors.length} error(s):\n${errors
          .slice(0, 20)
          .map((l) => `#   ${l.slice(0, 600)}`)
          .join('\n')}\n`,
      );
    }
  };
  return {
    webUrl: `http://localhost:${ports.web}`,
    apiUrl: `http://localhost:${ports.api}`,
    env,
    output: () => output,
    async interrupt() {
      const started = Date.now();
      child.kill('SIGINT');
      const code = await exited;
      keepLog();
      rmSync(dataDir, { recursive: true, force: true });
      return { code, ms: Date.now() - started };
    },
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      keepLog();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export const shot = (name: string) => path.join(ARTIFACTS, `${name}.png`);
