/**
 * `npm start`: the local AWS and `sls offline` for a stage (default `local`).
 *   tsx local-aws/main.ts [--stage local] [--no-offline] [--seed-instances]
 * Prints the endpoints, queue URLs, bucket and topic names, then runs until Ctrl-C.
 * `kill -USR2 <pid>` kills the function runtime (sls offline) abruptly, as a crash would, and
 * starts a new one: batches in flight are not acknowledged and come back after their visibility
 * timeout. It also picks up code changes.
 */
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { Stoppable } from './emulators';
import { packageTemplate, startLocalAws, startOffline } from './stack';
import { loadStageEnv } from './stage-env';
import { seedInstances } from './seed-instances';
import { summary } from './summary';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string', default: 'local' },
      'no-offline': { type: 'boolean', default: false },
      'seed-instances': { type: 'boolean', default: false },
    },
  });
  const stage = values.stage ?? 'local';
  loadStageEnv(stage);
  const started = Date.now();
  const localAws = await startLocalAws(stage, packageTemplate(stage));
  const seeded = values['seed-instances'] ? await seedInstances(localAws.config) : [];
  let offline: (ChildProcess & Stoppable) | undefined;
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await offline?.stop().catch(() => undefined);
    await localAws.stop().catch(() => undefined);
    process.exit(code);
  };
  const runOffline = async () => {
    const child = await startOffline(stage);
    offline = child;
    child.once('exit', (code, signal) => {
      if (stopping || offline !== child) return;
      process.stderr.write(`sls offline exited (${signal ?? code}); stopping the local AWS\n`);
      void shutdown(1);
    });
  };
  const restartOffline = async () => {
    const old = offline;
    offline = undefined;
    if (old && old.exitCode === null) {
      await new Promise<void>((resolve) => {
        old.once('exit', () => resolve());
        old.kill('SIGKILL');
      });
    }
    process.stdout.write('LOCAL_AWS_RUNTIME_KILLED\n');
    await runOffline();
    process.stdout.write('LOCAL_AWS_RUNTIME_RESTARTED\n');
  };

  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  if (!values['no-offline']) {
    await runOffline();
    process.on('SIGUSR2', () => void restartOffline().catch((error: Error) => {
      process.stderr.write(`restarting sls offline failed: ${error.message}\n`);
      void shutdown(1);
    }));
  }
  process.stdout.write(`${summary(localAws, Date.now() - started)}\n`);
  for (const line of seeded) process.stdout.write(`  EC2 ${line}\n`);
  process.stdout.write('LOCAL_AWS_READY\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`local AWS failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
