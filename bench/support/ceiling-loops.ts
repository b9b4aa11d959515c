/**
 * The emulator's ceiling, in a process of its own (as the pollers are apart from the sender):
 *   tsx bench/support/ceiling-loops.ts <endpoint> <queueUrl> <count> <loops>
 * `loops` bare SDK v3 loops of ReceiveMessage (10) + DeleteMessageBatch, default client settings,
 * until `count` messages are deleted. Prints CEILING_LOOPS_READY once polling, CEILING_LOOPS_DONE at the end.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

async function main(): Promise<void> {
  const [endpoint = '', queueUrl = '', count = '0', loops = '5'] = process.argv.slice(2);
  const sqs = new SQSClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  let deleted = 0;
  const consumers = Array.from({ length: Number(loops) }, async () => {
    while (deleted < Number(count)) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (Messages.length === 0) continue;
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((message, n) => ({ Id: String(n), ReceiptHandle: message.ReceiptHandle })) }));
      deleted += Messages.length;
    }
  });
  process.stdout.write('CEILING_LOOPS_READY\n');
  await Promise.all(consumers);
  sqs.destroy();
  process.stdout.write('CEILING_LOOPS_DONE\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
