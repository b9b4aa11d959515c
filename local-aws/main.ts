/**
 * `npm start`: the local AWS and `sls offline` for a stage (default `local`).
 *   tsx local-aws/main.ts [--stage local] [--no-offline]
 * Prints the endpoints, queue URLs, bucket and topic names, then runs until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { loadStageEnv, packageTemplate, startLocalAws, startOffline } from './stack';
import type { Stoppable } from './emulators';
import { summary } from './summary';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { stage: { type: 'string', default: 'local' }, 'no-offline': { type: 'boolean', default: false } },
  });
  const stage = values.stage ?? 'local';
  loadStageEnv(stage);
  const started = Date.now();
  const template = packageTemplate(stage);
  const localAws = await startLocalAws(stage, template);
  const running: Stoppable[] = [localAws];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const item of running.reverse()) await item.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  if (!values['no-offline']) {
    const offline = await startOffline(stage);
    running.push(offline);
    offline.once('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`sls offline exited (${code}); stopping the local AWS\n`);
        void shutdown(1);
      }
    });
  }
  process.stdout.write(`${summary(localAws, Date.now() - started)}\n`);
  process.stdout.write('LOCAL_AWS_READY\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`local AWS failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
