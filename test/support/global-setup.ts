import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStageEnv, ROOT } from '../../local-aws/stack';

export const STAGE = 'test';
export const RUN_LOG = join(ROOT, '.local-aws', `${STAGE}-run.log`);

/**
 * Starts the local AWS and `sls offline` on stage `test` (ports from .env.test) in a process of
 * their own, logging to .local-aws/test-run.log, and waits until they serve. The process stops
 * when the tests end, or by itself if this one dies.
 */
export default async function globalSetup(): Promise<void> {
  loadStageEnv(STAGE);
  mkdirSync(join(ROOT, '.local-aws'), { recursive: true });
  const out = openSync(RUN_LOG, 'w');
  const child = spawn(
    process.execPath,
    ['--require', join(ROOT, 'local-aws', 'exit-with-parent.cjs'), '--import', 'tsx', join(ROOT, 'local-aws', 'main.ts'), '--stage', STAGE],
    { cwd: ROOT, env: process.env, stdio: ['ignore', out, out] },
  );
  (globalThis as { __LOCAL_AWS__?: typeof child }).__LOCAL_AWS__ = child;
  const deadline = Date.now() + 180_000;
  while (!readFileSync(RUN_LOG, 'utf8').includes('LOCAL_AWS_READY')) {
    if (child.exitCode !== null) throw new Error(`The local AWS exited (${child.exitCode}):\n${readFileSync(RUN_LOG, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`The local AWS did not start in time:\n${readFileSync(RUN_LOG, 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
