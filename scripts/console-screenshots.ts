/**
 * `npm run console:screenshots`: starts `sls offline start --stage local` on ports of its own
 * (base from CONSOLE_SCREENSHOTS_BASE_PORT, default 4700: AWS base, EC2 base + 1, offline
 * base + 10..12, console base + 13), drives the local console in Debian's chromium to give each
 * page something to show, and writes one PNG per page to docs/console/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateVolumeCommand } from '@aws-sdk/client-ec2';
import type { Page } from 'playwright-core';
import { localClients } from '../local-aws/clients';
import { localAwsConfig } from '../local-aws/config';
import { ROOT } from '../shared/stage-env';
import { launchChromium } from '../test/support/browser';
import { isolatedPorts, spawnStack } from '../test/support/stack-process';

const BASE = Number(process.env.CONSOLE_SCREENSHOTS_BASE_PORT ?? 4700);
const OUT = join(ROOT, 'docs', 'console');
const prefix = 'messaging-workers-local';

async function send(page: Page, body: string): Promise<void> {
  await page.getByLabel('Body', { exact: true }).fill(body);
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.locator('p.result', { hasText: 'Sent message' }).waitFor();
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const stack = spawnStack('local', join(ROOT, '.local-aws', 'console-screenshots.log'), isolatedPorts(BASE).env);
  const browser = await launchChromium({ width: 1280, height: 860 });
  try {
    await stack.waitForLog('LOCAL_AWS_READY', 240_000);
    const url = `http://127.0.0.1:${BASE + 13}/`;
    const page = await browser.newPage();
    const shot = async (name: string) => {
      await page.waitForTimeout(2500); // one live refresh
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
      process.stdout.write(`docs/console/${name}.png\n`);
    };

    // Functions: a consumer run, a copier run, a notifier run, a scheduler run.
    await page.goto(`${url}#/queues/${encodeURIComponent(`${prefix}-work`)}`);
    await send(page, '{"type":"canary","id":"screenshot-1"}');
    await send(page, '{"type":"canary","id":"screenshot-2","alwaysFail":true}');
    await page.goto(`${url}#/buckets`);
    const source = page.getByRole('region', { name: `${prefix}-source-local` });
    await source.getByLabel('File').setInputFiles({ name: 'report 2026.csv', mimeType: 'text/csv', buffer: Buffer.from('id,total\n1,42\n') });
    await source.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('region', { name: `${prefix}-destination-local` }).locator('td', { hasText: 'report 2026.csv' }).waitFor({ timeout: 60_000 });
    await shot('buckets');

    await page.goto(`${url}#/topics`);
    await page.getByRole('button', { name: 'Publish notification' }).first().click();
    await page.locator('p.result', { hasText: 'Published notification' }).waitFor();
    await shot('topics');

    // An unattached volume for the Instances page (the console only lists them).
    const { ec2 } = localClients(localAwsConfig('local', { ...process.env, ...isolatedPorts(BASE).env }));
    await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, VolumeType: 'gp3' }));
    await page.goto(`${url}#/instances`);
    await page.getByRole('button', { name: 'Run the scheduler now' }).click();
    await page.locator('p.result', { hasText: 'Dry run' }).waitFor();
    await shot('instances');

    // Queues: messages waiting in the DLQ (sent there directly), peeked and one opened.
    await page.goto(`${url}#/queues/${encodeURIComponent(`${prefix}-work-dlq`)}`);
    await page.getByRole('heading', { level: 2, name: `${prefix}-work-dlq` }).waitFor();
    for (let i = 1; i <= 3; i++) await send(page, `{"type":"canary","id":"dead-${i}","alwaysFail":true}`);
    await page.getByRole('button', { name: 'Peek first page' }).click();
    await page.locator('p.result', { hasText: 'message(s) shown' }).waitFor();
    await shot('queues');
    await page.getByRole('button', { name: /^Open message/ }).first().click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, 'queues-message.png') });
    process.stdout.write('docs/console/queues-message.png\n');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Release shown' }).click();

    await page.goto(`${url}#/functions`);
    const row = page.locator('tr[data-trigger="sqs"]').first();
    await row.waitFor({ timeout: 60_000 });
    await row.getByRole('button', { name: /Show event of invocation/ }).click();
    await shot('functions');
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
