/**
 * Serves the local AWS's S3/SQS/SNS endpoint for the conformance suite, in its own process as
 * `sls offline start` runs it: `tsx test/conformance/serve.ts PORT REGION`. Prints `READY` once it
 * listens and one `CREATED <json>` line for every S3 ObjectCreated it reports. Stops on stdin end.
 */
import { startFauxqs } from '../../local-aws/emulators';

async function main(): Promise<void> {
  const [port, region] = process.argv.slice(2);
  const emulator = await startFauxqs({
    port: Number(port),
    region: region ?? 'us-east-1',
    stage: 'conformance',
    onObjectCreated: (event) => process.stdout.write(`CREATED ${JSON.stringify(event)}\n`),
  });
  process.stdout.write('READY\n');
  process.stdin.resume();
  process.stdin.on('end', () => {
    void emulator.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
