import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../../local-aws/stage-env';

export interface StackProcess {
  child: ChildProcess;
  logFile: string;
  /** Resolves once the log contains `marker` (after `from` characters), or rejects on exit/timeout. */
  waitForLog(marker: string, timeoutMs?: number, from?: number): Promise<void>;
  logLength(): number;
  stop(): Promise<void>;
}

/**
 * Runs `local-aws/main.ts` (the local AWS and `sls offline`) for a stage in a process of its own,
 * its output in `logFile`. `env` overrides ports and endpoints (variables set win over .env files).
 * The process exits by itself if this one dies.
 */
export function spawnStack(stage: string, logFile: string, env: NodeJS.ProcessEnv = {}): StackProcess {
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    ['--require', join(ROOT, 'local-aws', 'exit-with-parent.cjs'), '--import', 'tsx', join(ROOT, 'local-aws', 'main.ts'), '--stage', stage],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, out] },
  );
  const read = () => readFileSync(logFile, 'utf8');
  return {
    child,
    logFile,
    logLength: () => read().length,
    async waitForLog(marker, timeoutMs = 180_000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      while (!read().slice(from).includes(marker)) {
        if (child.exitCode !== null) throw new Error(`The local AWS exited (${child.exitCode}):\n${read().slice(-5000)}`);
        if (Date.now() > deadline) throw new Error(`No "${marker}" within ${timeoutMs} ms:\n${read().slice(-5000)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/**
 * Environment for a stack of its own on the ports from `base` (AWS base, EC2 base + 1, sls offline
 * HTTP/WebSocket/Lambda base + 10..12), apart from the shared test stack.
 */
export function isolatedPorts(base: number): { endpoint: string; lambdaEndpoint: string; env: NodeJS.ProcessEnv } {
  return {
    endpoint: `http://127.0.0.1:${base}`,
    lambdaEndpoint: `http://127.0.0.1:${base + 12}`,
    env: {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${base}`,
      AWS_ENDPOINT_URL_EC2: `http://127.0.0.1:${base + 1}`,
      OFFLINE_HTTP_PORT: String(base + 10),
      OFFLINE_WEBSOCKET_PORT: String(base + 11),
      OFFLINE_LAMBDA_PORT: String(base + 12),
    },
  };
}

/** Parses the JSON log lines of a log file. */
export function jsonLines(logFile: string): (Record<string, unknown> & { message?: string })[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown> & { message?: string }];
      } catch {
        return [];
      }
    });
}
