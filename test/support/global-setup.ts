import { join } from 'node:path';
import { loadStageEnv, ROOT } from '../../shared/stage-env';
import { spawnStack, type StackProcess } from './stack-process';

export const STAGE = 'test';
export const RUN_LOG = join(ROOT, '.local-aws', `${STAGE}-run.log`);

/**
 * Starts the local AWS and `sls offline` on stage `test` (ports from .env.test) once for the
 * integration tests, logging to .local-aws/test-run.log, and waits until they serve.
 */
export default async function globalSetup(): Promise<void> {
  loadStageEnv(STAGE);
  const stack = spawnStack(STAGE, RUN_LOG);
  (globalThis as { __LOCAL_AWS__?: StackProcess }).__LOCAL_AWS__ = stack;
  await stack.waitForLog('LOCAL_AWS_READY', 300_000);
}
