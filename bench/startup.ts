/**
 * Start-up of the one command, `sls offline start`, to ready (LOCAL_AWS_READY: emulators up,
 * resources created, runtime serving, triggers running), on ports of its own:
 *   npx tsx bench/startup.ts [--runs 5] [--stage local] [--port-base 4636]
 * Prints min / median / max in seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isolatedPorts, spawnStack } from '../test/support/stack-process';

/** Seconds from spawning `sls offline start` to LOCAL_AWS_READY, one per run. */
export async function startupSeconds(options: { runs: number; stage: string; portBase: number }): Promise<number[]> {
  // The log outside the project folder, as a user's terminal would be.
  const scratch = mkdtempSync(join(tmpdir(), 'messaging-workers-startup-'));
  const seconds: number[] = [];
  try {
    for (let run = 0; run < options.runs; run++) {
      const started = Date.now();
      const stack = spawnStack(options.stage, join(scratch, 'startup.log'), { ...isolatedPorts(options.portBase).env, LOCAL_AWS_LOG_LEVEL: 'WARN' });
      try {
        await stack.waitForLog('LOCAL_AWS_READY');
        seconds.push((Date.now() - started) / 1000);
      } finally {
        await stack.stop();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return seconds;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, stage: { type: 'string', default: 'local' }, 'port-base': { type: 'string', default: '4636' } } });
  const stage = values.stage ?? 'local';
  startupSeconds({ runs: Number(values.runs), stage, portBase: Number(values['port-base']) })
    .then((seconds) => {
      const sorted = [...seconds].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
      process.stdout.write(
        `sls offline start --stage ${stage} to ready, ${seconds.length} runs: min ${sorted[0]?.toFixed(1)} s, median ${median.toFixed(1)} s, max ${sorted.at(-1)?.toFixed(1)} s\n`,
      );
    })
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
}
