/**
 * Requests per second the local AWS endpoint serves for the SQS calls of the job bus, without
 * sls offline (what the emulator and its hooks cost per request):
 *   npx tsx bench/sqs-endpoint.ts [--messages 5000] [--concurrency 4]
 * Starts the endpoint on a free port of 127.0.0.1, sends the messages in batches of 10, then
 * receives them in batches of 10 and deletes each batch, and prints messages per second for both,
 * and the CPU time this process (client and endpoint) spent per message, which a busy machine
 * disturbs less than the rates.
 */
import { parseArgs } from 'node:util';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { freeLoopbackPort, startFauxqs } from '../local-aws/emulators';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '4' } } });
const total = Number(values.messages);
const concurrency = Number(values.concurrency);

async function main(): Promise<void> {
  const port = await freeLoopbackPort();
  const emulator = await startFauxqs({ port, region: 'us-east-1', stage: 'bench', onObjectCreated: () => undefined });
  const sqs = new SQSClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `bench-${Date.now()}` }));
    const body = JSON.stringify({ type: 'canary', id: 'x'.repeat(64) });
    let batches = Math.ceil(total / 10);
    const cpu = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (batches-- > 0) {
          await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, n) => ({ Id: String(n), MessageBody: body })) }));
        }
      }),
    );
    const t1 = process.hrtime.bigint();
    let received = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (received < total) {
          const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
          if (Messages.length === 0) continue;
          received += Messages.length;
          await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle })) }));
        }
      }),
    );
    const t2 = process.hrtime.bigint();
    const used = process.cpuUsage(cpu);
    const rate = (from: bigint, to: bigint) => Math.round(total / (Number(to - from) / 1e9));
    const cpuPerMessage = Math.round((used.user + used.system) / total);
    console.log(`${total} messages, ${concurrency} clients: send ${rate(t0, t1)} msg/s, receive+delete ${rate(t1, t2)} msg/s, CPU ${cpuPerMessage} µs/msg`);
  } finally {
    sqs.destroy();
    await emulator.stop();
  }
}

void main();
