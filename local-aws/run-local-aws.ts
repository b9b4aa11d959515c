/**
 * The local AWS in a process of its own, started by the project's serverless plugin when
 * `sls offline start` runs (local-aws/plugin.ts). It talks to the framework process over IPC:
 *   framework -> { type: 'start', stage, template, seedInstances }   emulators up, resources created
 *   this      -> { type: 'provisioned' }
 *   framework -> { type: 'runtime-ready' }                           the Lambda API serves: start the triggers
 *   this      -> { type: 'ready', summary }
 *   framework -> { type: 'stop' }                                    settle what is in flight, stop, exit
 * It ignores SIGINT (Ctrl-C reaches the whole process group; the framework stops it in order) and
 * exits by itself when the framework process is gone.
 */
import { seedInstances } from './seed-instances';
import { type LocalAws, startLocalAws } from './stack';
import { loadStageEnv } from '../shared/stage-env';
import { summary } from './summary';
import type { Template } from './template';

export type ToLocalAws =
  | { type: 'start'; stage: string; template: Template; seedInstances: boolean; startedAt: number; stateWaitMs?: number }
  | { type: 'runtime-ready' }
  | { type: 'stop' };
export type FromLocalAws = { type: 'provisioned' } | { type: 'ready'; summary: string } | { type: 'failed'; message: string };

const send = (message: FromLocalAws) => process.send?.(message);
let localAws: LocalAws | undefined;
let start: Extract<ToLocalAws, { type: 'start' }> | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await localAws?.stop().catch(() => undefined);
  }
  process.exit(code);
}

async function onMessage(message: ToLocalAws): Promise<void> {
  if (message.type === 'start') {
    start = message;
    loadStageEnv(message.stage);
    localAws = await startLocalAws(message.stage, message.template, message.stateWaitMs === undefined ? {} : { stateWaitMs: message.stateWaitMs });
    send({ type: 'provisioned' });
  } else if (message.type === 'runtime-ready' && localAws && start) {
    await localAws.startTriggers();
    const seeded = start.seedInstances ? await seedInstances(localAws.config) : [];
    const lines = [summary(localAws, Date.now() - start.startedAt), ...seeded.map((line) => `  EC2 instance ${line}`)];
    send({ type: 'ready', summary: lines.join('\n') });
  } else if (message.type === 'stop') {
    await stop(0);
  }
}

process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => void stop(0));
process.on('disconnect', () => void stop(0));
process.on('message', (message: ToLocalAws) => {
  onMessage(message).catch((error: unknown) => {
    send({ type: 'failed', message: (error as Error).stack ?? String(error) });
    void stop(1);
  });
});
