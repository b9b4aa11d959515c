/**
 * The local console with 10,000 messages in a queue, on a local AWS of its own (no function
 * runtime: nothing consumes them):
 *   npx tsx bench/console.ts [--messages 10000] [--base-port 4740]
 * Fills the work DLQ with SendMessageBatch, then times what the Queues page asks for: the counts
 * of every queue (GET /api/queues), a peek page of 50 and its release, and the page in chromium
 * until the table shows the count. Prints each in milliseconds (median of 5).
 */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { localClients } from '../local-aws/clients';
import { localAwsConfig } from '../local-aws/config';
import { ROOT } from '../shared/stage-env';
import { launchChromium } from '../test/support/browser';
import { isolatedPorts, spawnLocalAws } from '../test/support/stack-process';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' }, 'base-port': { type: 'string', default: '4740' } } });
const total = Number(values.messages);
const base = Number(values['base-port']);
const ports = isolatedPorts(base);
const consoleUrl = `http://127.0.0.1:${base + 13}`;
const dlq = 'messaging-workers-local-work-dlq';

async function timed(label: string, run: () => Promise<unknown>, times = 5): Promise<void> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  process.stdout.write(`${label.padEnd(52)} median ${(ms[Math.floor(ms.length / 2)] ?? 0).toFixed(0).padStart(6)} ms  (min ${(ms[0] ?? 0).toFixed(0)}, max ${(ms.at(-1) ?? 0).toFixed(0)})\n`);
}

async function main(): Promise<void> {
  const stack = spawnLocalAws('local', join(ROOT, '.local-aws', 'bench-console.log'), { ...ports.env, LOCAL_AWS_LOG_LEVEL: 'WARN' });
  try {
    await stack.waitForLog('LOCAL_AWS_SERVING');
    const { sqs } = localClients(localAwsConfig('local', { ...process.env, ...ports.env }));
    const queueUrl = `${ports.endpoint}/000000000000/${dlq}`;
    for (let sent = 0; sent < total; sent += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Array.from({ length: Math.min(10, total - sent) }, (_, i) => ({ Id: String(i), MessageBody: JSON.stringify({ type: 'canary', id: `bench-${sent + i}` }) })),
        }),
      );
    }
    const page = await (await fetch(`${consoleUrl}/`)).text();
    const token = /name="console-token" content="([0-9a-f]+)"/.exec(page)?.[1] ?? '';
    const post = (path: string, body: unknown) =>
      fetch(`${consoleUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Console-Token': token }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, unknown>>);
    process.stdout.write(`${total} messages in ${dlq}\n`);
    await timed('GET /api/queues (counts of 5 queues and their DLQs)', () => fetch(`${consoleUrl}/api/queues`).then((r) => r.json()));
    await timed('peek a page of 50, then release it', async () => {
      const { messages } = (await post(`/api/queues/${dlq}/receive`, { max: 50, visibilitySeconds: 30 })) as { messages: { receiptHandle: string }[] };
      if (messages.length !== 50) throw new Error(`peeked ${messages.length}, not 50`);
      await post(`/api/queues/${dlq}/release`, { receiptHandles: messages.map((m) => m.receiptHandle) });
    });
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      await timed(`Queues page in chromium until it shows ${total}`, async () => {
        await tab.goto('about:blank');
        await tab.goto(`${consoleUrl}/#/queues`);
        await tab.locator(`tr[data-queue="${dlq}"] td.num`, { hasText: String(total) }).first().waitFor();
      });
    } finally {
      await browser.close();
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
