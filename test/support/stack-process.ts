import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../../shared/stage-env';

export interface StackProcess {
  child: ChildProcess;
  logFile: string;
  /** Resolves once the log contains `marker` (after `from` characters), or rejects on exit/timeout. */
  waitForLog(marker: string, timeoutMs?: number, from?: number): Promise<void>;
  logLength(): number;
  stop(): Promise<void>;
}

/**
 * Runs a command of the project (in `cwd`) in a process of its own with its output in `logFile`
 * (appended to when `append`). `env` overrides ports and endpoints (variables set win over .env files). The
 * process exits by itself if this one dies.
 */
export function spawnLogged(args: string[], logFile: string, env: NodeJS.ProcessEnv, append = false, cwd = ROOT): StackProcess {
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, append ? 'a' : 'w');
  const child = spawn(process.execPath, ['--require', join(ROOT, 'local-aws', 'exit-with-parent.cjs'), ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  const read = () => readFileSync(logFile, 'utf8');
  return {
    child,
    logFile,
    logLength: () => read().length,
    async waitForLog(marker, timeoutMs = 180_000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      while (!read().slice(from).includes(marker)) {
        if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited (${child.exitCode}):\n${read().slice(-5000)}`);
        if (Date.now() > deadline) throw new Error(`No "${marker}" within ${timeoutMs} ms:\n${read().slice(-5000)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
      }),
  };
}

const SLS = join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');

/**
 * `sls offline start` for a stage, the one command users type: the local AWS and the function
 * runtime together, or only the runtime when a local AWS of the stage already runs on its ports
 * (`spawnLocalAws`). Ready once the log has `LOCAL_AWS_READY`; with `append` the output is added
 * to `logFile`. Each runtime bundles into an esbuild folder of its own, removed when it stops.
 * `nodeArgs` go to the framework process's node (e.g. the bench's `--cpu-prof`).
 */
export function spawnStack(stage: string, logFile: string, env: NodeJS.ProcessEnv = {}, append = false, nodeArgs: string[] = []): StackProcess {
  const workFolder = join('.esbuild', `offline-${stage}-${process.pid}-${Date.now()}`);
  const stack = spawnLogged([...nodeArgs, SLS, 'offline', 'start', '--stage', stage], logFile, { ESBUILD_WORK_FOLDER: workFolder, ...env }, append);
  const cleanUp = () => rmSync(join(ROOT, workFolder), { recursive: true, force: true });
  stack.child.once('exit', cleanUp);
  return stack;
}

/** The local AWS on its own (`npm run local-aws`); ready once the log has `LOCAL_AWS_SERVING`. */
export function spawnLocalAws(stage: string, logFile: string, env: NodeJS.ProcessEnv = {}): StackProcess {
  return spawnLogged(['--import', 'tsx', join(ROOT, 'local-aws', 'main.ts'), '--stage', stage], logFile, env);
}

/**
 * Environment for a stack of its own on the ports from `base` (AWS base, EC2 base + 1, sls offline
 * HTTP/WebSocket/Lambda base + 10..12, the local console base + 13), apart from the shared test stack.
 * Bases in use, 14 ports each, none overlapping: shared stack 4576 (.env.test), bench 4606 and
 * 4636, e2e 4666, fault injection 4700, runtime crash 4720, init phase 4740, local run 4760,
 * notifier webhooks 4780, the README's try-it 4800; the deploy rehearsal's moto takes 4660.
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
      LOCAL_CONSOLE_PORT: String(base + 13),
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
