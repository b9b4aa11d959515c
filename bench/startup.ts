/**
 * Start-up of the one command, `sls offline start`, to ready (LOCAL_AWS_READY: emulators up,
 * resources created, runtime serving, triggers running), on ports of its own:
 *   npx tsx bench/startup.ts [--runs 5] [--stage local]
 * Prints min / median / max in seconds.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../local-aws/stage-env';
import { isolatedPorts, spawnStack } from '../test/support/stack-process';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, stage: { type: 'string', default: 'local' } } });
const runs = Number(values.runs);
const stage = values.stage ?? 'local';

async function main(): Promise<void> {
  const seconds: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = Date.now();
    const stack = spawnStack(stage, join(ROOT, '.local-aws', 'bench-startup.log'), { ...isolatedPorts(4636).env, LOCAL_AWS_LOG_LEVEL: 'WARN' });
    try {
      await stack.waitForLog('LOCAL_AWS_READY');
      seconds.push((Date.now() - started) / 1000);
    } finally {
      await stack.stop();
    }
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  process.stdout.write(
    `sls offline start --stage ${stage} to ready, ${runs} runs: min ${sorted[0]?.toFixed(1)} s, median ${median.toFixed(1)} s, max ${sorted.at(-1)?.toFixed(1)} s\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
