/**
 * The local AWS of a stage without its triggers: emulators and resources only, so a peer poller
 * (or a bare SDK loop) is the only consumer of the queues:
 *   tsx bench/support/local-aws-without-triggers.ts <stage> <template.json>
 * Ports from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2 as usual. Prints LOCAL_AWS_RESOURCES_READY,
 * then serves until SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { startLocalAws } from '../../local-aws/stack';

async function main(): Promise<void> {
  const [stage = 'local', templateFile = ''] = process.argv.slice(2);
  const localAws = await startLocalAws(stage, JSON.parse(readFileSync(templateFile, 'utf8')) as never);
  const stop = () => void localAws.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write('LOCAL_AWS_RESOURCES_READY\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
