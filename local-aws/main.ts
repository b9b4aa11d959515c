/**
 * The local AWS on its own, without a function runtime (`npm run local-aws`):
 *   tsx local-aws/main.ts [--stage local] [--seed-instances]
 * Starts the emulators, creates the stage's resources from its packaged template, runs the
 * triggers and the local console (LOCAL_CONSOLE_PORT), then serves until Ctrl-C. `sls offline start` for the same stage, started after it,
 * finds it and uses it instead of starting its own: the function runtime can then be stopped,
 * restarted or killed while queues, topics and buckets keep their contents.
 * (`npm start`, i.e. `sls offline start`, starts both together.)
 */
import { parseArgs } from 'node:util';
import { seedInstances } from './seed-instances';
import { startLocalAws } from './stack';
import { loadStageEnv } from '../shared/stage-env';
import { summary } from './summary';
import { compiledTemplate } from './template';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string', default: 'local' },
      'seed-instances': { type: 'boolean', default: false },
    },
  });
  const stage = values.stage ?? 'local';
  loadStageEnv(stage);
  const started = Date.now();
  const localAws = await startLocalAws(stage, compiledTemplate(stage));
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await localAws.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  await localAws.startTriggers();
  const seeded = values['seed-instances'] ? await seedInstances(localAws.config) : [];
  process.stdout.write(`${summary(localAws, Date.now() - started)}\n`);
  for (const line of seeded) process.stdout.write(`  EC2 ${line}\n`);
  process.stdout.write(`  Function runtime: npx sls offline start --stage ${stage} (uses this local AWS)\n`);
  process.stdout.write('LOCAL_AWS_SERVING\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`local AWS failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
