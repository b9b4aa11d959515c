import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { localClients } from '../../local-aws/clients';
import { localAwsConfig } from '../../local-aws/config';
import { launchInstance } from '../../local-aws/seed-instances';
import { ROOT } from '../../shared/stage-env';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { isolatedPorts, spawnStack, type StackProcess } from '../support/stack-process';

/**
 * The local console in a real browser (Debian's chromium), on a stack of its own: `sls offline
 * start --stage test` on the ports from E2E_BASE_PORT (default 4666: 4666..4680), console on base + 13.
 */
const BASE = Number(process.env.E2E_BASE_PORT ?? 4666);
const ports = isolatedPorts(BASE);
const consoleUrl = `http://127.0.0.1:${BASE + 13}/`;
const logFile = join(ROOT, '.local-aws', 'e2e-console.log');
const prefix = 'messaging-workers-test';
const queues = { work: `${prefix}-work`, dlq: `${prefix}-work-dlq` };
const consumer = `${prefix}-sqsConsumer`;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

let stack: StackProcess;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  stack = spawnStack('test', logFile, ports.env);
  browser = await launchChromium();
  await stack.waitForLog('LOCAL_AWS_READY', 240_000);
  page = await browser.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

async function openQueue(name: string): Promise<void> {
  await page.goto(`${consoleUrl}#/queues`);
  await page.getByRole('button', { name: `Open ${name}`, exact: true }).click();
  await page.getByRole('heading', { level: 2, name, exact: true }).waitFor();
}

async function sendFromPage(body: string): Promise<string> {
  await page.getByLabel('Body', { exact: true }).fill(body);
  await page.getByRole('button', { name: 'Send message' }).click();
  const status = page.locator('p.result', { hasText: 'Sent message' });
  await status.waitFor();
  return ((await status.textContent()) ?? '').replace('Sent message ', '').trim();
}

/** Rows of the Functions page for the consumer whose event summary contains `text`. */
function consumerRows(text: string): Locator {
  return page.locator(`tr[data-function="${consumer}"]`, { hasText: text });
}

async function countEventually(locator: Locator, atLeast: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await locator.count();
    if (count >= atLeast) return count;
    if (Date.now() > deadline) throw new Error(`only ${count} of ${atLeast} rows within ${timeoutMs} ms`);
    await page.waitForTimeout(500);
  }
}

describe('the local console in a browser', () => {
  it('sends a message from the Queues page and shows the consumer invocation it caused', async () => {
    const id = unique('console-canary');
    await openQueue(queues.work);
    await sendFromPage(JSON.stringify({ type: 'canary', id }));

    await page.getByRole('link', { name: 'Functions' }).click();
    const row = consumerRows(id).first();
    await row.waitFor({ timeout: 60_000 });
    await expect(row.getAttribute('data-trigger')).resolves.toBe('sqs');
    // The work queue's mapping invokes the consumer's live alias (docs/releases.md).
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('sqsConsumer:live');
    await expect(row.locator('.result-cell').textContent()).resolves.toContain('ok');
    await expect(row.textContent()).resolves.toContain('batchItemFailures: none');
    await row.getByRole('button', { name: /Show event of invocation/ }).click();
    // The event is fetched when asked for.
    await row.locator('pre', { hasText: id }).waitFor();
  }, 120_000);

  it('shows a poison message in the DLQ, and the redrive button brings it back to the work queue', async () => {
    const poison = unique('poison: not json');
    await openQueue(queues.work);
    await sendFromPage(poison);

    // maxReceiveCount 2 on stage test: two failed receives, then SQS moves it to the DLQ.
    await page.getByRole('link', { name: 'Functions' }).click();
    await countEventually(consumerRows(poison), 2, 90_000);
    const failures = consumerRows(poison).first();
    await expect(failures.textContent()).resolves.toMatch(/batchItemFailures \(1\)/);

    await page.getByRole('link', { name: 'Queues' }).click();
    const dlqVisible = page.locator(`tr[data-queue="${queues.dlq}"] td.num`).first();
    await page.waitForFunction((el) => Number(el?.textContent) >= 1, await dlqVisible.elementHandle(), { timeout: 90_000 });

    await page.getByRole('button', { name: `Open ${queues.dlq}`, exact: true }).click();
    await page.getByRole('button', { name: 'Peek first page' }).click();
    await page.locator('td', { hasText: poison }).first().waitFor();
    await page.getByRole('button', { name: 'Release shown' }).click();
    await page.locator('p.result', { hasText: /Released \d+ message/ }).waitFor();

    await page.getByRole('button', { name: 'Redrive to source queue' }).click();
    const moved = page.locator('p.result', { hasText: /Moved \d+ message\(s\) to/ });
    await moved.waitFor({ timeout: 60_000 });
    await expect(moved.textContent()).resolves.toContain(`to ${queues.work}`);
    await expect(moved.textContent()).resolves.not.toContain('Moved 0');

    // Back in the work queue, the consumer receives it again.
    await page.getByRole('link', { name: 'Functions' }).click();
    await countEventually(consumerRows(poison), 3, 60_000);
  }, 300_000);

  it('uploads a file to the source bucket and shows its copy in the destination bucket', async () => {
    const name = `${unique('upload')} 中文.txt`;
    await page.goto(`${consoleUrl}#/buckets`);
    const source = page.getByRole('region', { name: `${prefix}-source-local` });
    await source.getByLabel('File').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(`uploaded from the console: ${name}`) });
    await source.getByRole('button', { name: 'Upload' }).click();
    await source.locator('p.result', { hasText: `Uploaded ${name}` }).waitFor();

    const destination = page.getByRole('region', { name: `${prefix}-destination-local` });
    await destination.locator('td', { hasText: name }).waitFor({ timeout: 60_000 });
    const download = page.waitForEvent('download');
    await destination.getByRole('link', { name: `Download ${name}` }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(name);
  }, 120_000);

  it('stops an instance from the Instances page and shows its new state', async () => {
    const { ec2 } = localClients(localAwsConfig('test', { ...process.env, ...ports.env }));
    // Not tagged for the schedule: stage test's stop rule runs every minute and would race the click.
    const instanceId = await launchInstance(ec2, [{ Key: 'Schedule', Value: 'manual' }, { Key: 'Name', Value: 'e2e-console' }]);

    await page.goto(`${consoleUrl}#/instances`);
    const row = page.locator(`tr[data-instance="${instanceId}"]`);
    await row.locator('.state', { hasText: 'running' }).waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: `Stop ${instanceId}` }).click();
    await page.locator('p.result', { hasText: `${instanceId} is now` }).waitFor();
    await row.locator('.state', { hasText: 'stopped' }).waitFor({ timeout: 30_000 });
    await expect(row.getByRole('button', { name: `Start ${instanceId}` }).isEnabled()).resolves.toBe(true);
  }, 120_000);

  it('refuses a state-changing request from a page of another origin', async () => {
    let server: Server | undefined;
    const from = stack.logLength();
    try {
      server = createServer((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/html' });
        response.end('<!doctype html><title>other site</title>');
      });
      await new Promise<void>((resolve) => server?.listen(BASE + 14, '127.0.0.1', resolve));
      const other = await browser.newPage();
      await other.goto(`http://127.0.0.1:${BASE + 14}/`);
      // What another page can send without reading the console's page first: no token.
      const outcome = await other.evaluate(async (url) => {
        const simple = await fetch(`${url}api/queues/messaging-workers-test-work/purge`, { method: 'POST', mode: 'no-cors', body: '{"confirm":"messaging-workers-test-work"}' });
        let cors = 'sent';
        try {
          await fetch(`${url}api/queues/messaging-workers-test-work/purge`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Console-Token': 'guess' }, body: '{}' });
        } catch (error) {
          cors = `blocked: ${(error as Error).message}`;
        }
        return { simpleType: simple.type, cors };
      }, consoleUrl);
      await other.close();
      expect(outcome.simpleType).toBe('opaque');
      expect(outcome.cors).toMatch(/^blocked/);
      // The console saw the requests and refused them by their Origin.
      await stack.waitForLog(`Origin http://127.0.0.1:${BASE + 14} is not this console`, 10_000, from);
    } finally {
      server?.closeAllConnections();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    }
  }, 60_000);

  it('starts a dry run of the retire-volumes state machine from the Executions page and shows each step with its input and output', async () => {
    await page.goto(`${consoleUrl}#/executions`);
    await page.getByLabel('Input (JSON)').fill('{"dryRun": true, "ageLimit": 0}');
    await page.getByRole('button', { name: 'Start execution' }).click();
    const started = page.locator('p.result', { hasText: 'Started' });
    await started.waitFor();
    const name = ((await started.textContent()) ?? '').replace('Started ', '').trim();

    const row = page.locator(`tr[data-execution="${name}"]`);
    await row.locator('.state', { hasText: 'SUCCEEDED' }).waitFor({ timeout: 60_000 });
    await row.getByRole('button', { name: `Show steps of execution ${name}` }).click();
    await page.getByRole('heading', { level: 2, name: `Execution ${name}` }).waitFor();
    const steps = page.locator('tr[data-step]');
    await expect(steps.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-step')))).resolves.toEqual(expect.arrayContaining(['ValidateInput', 'FindVolumes', 'RetireEach', 'Report']));
    await page.locator('tr[data-step="ValidateInput"]').getByText('Output').click();
    await expect(page.locator('tr[data-step="ValidateInput"] pre').last().textContent()).resolves.toContain('"ageLimitDays": 0');
  }, 90_000);

  it('passes axe-core\'s WCAG 2.1 A/AA rules on every page', async () => {
    const pages: [string, string][] = [
      ['queues', 'Queues'],
      [`queues/${encodeURIComponent(queues.dlq)}`, 'Messages'],
      ['topics', 'Publish a notification'],
      ['buckets', 'Objects of'],
      ['instances', 'Unattached volumes'],
      ['functions', 'Invocations, newest first'],
      ['executions', 'Executions, newest first'],
    ];
    const found: Record<string, unknown> = {};
    for (const [hash, landmark] of pages) {
      await page.goto('about:blank');
      await page.goto(`${consoleUrl}#/${hash}`);
      await page.getByText(landmark).first().waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      const violations = await axeViolations(page);
      if (violations.length > 0) found[hash] = violations;
    }
    expect(found).toEqual({});
  }, 120_000);

  it('works by keyboard: skip link, page navigation moves focus to the heading, a message dialog returns focus', async () => {
    await page.goto('about:blank');
    await page.goto(`${consoleUrl}#/queues`);
    await page.getByRole('heading', { level: 1, name: 'Queues' }).waitFor();
    // Strings: this project compiles without the DOM's types.
    const focused = () => page.evaluate<string>('`${document.activeElement?.tagName}:${document.activeElement?.textContent?.trim().slice(0, 40)}`');
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('A:Skip to content');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('A:Functions');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Functions' }).waitFor();
    await expect(focused()).resolves.toBe('H1:Functions');

    // A message in the DLQ (nothing consumes it), peeked, opened and closed by keyboard.
    await openQueue(queues.dlq);
    const marker = unique('keyboard');
    await sendFromPage(marker);
    await page.getByRole('button', { name: 'Peek first page' }).click();
    const row = page.locator('tr', { hasText: marker });
    await row.waitFor();
    const open = row.getByRole('button', { name: /^Open message/ });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect(dialog.locator('pre').textContent()).resolves.toContain(marker);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect(page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? null")).resolves.toBe(await open.getAttribute('aria-label'));
    await page.getByRole('button', { name: 'Release shown' }).click();
  }, 60_000);
});

/** The console's JSON API as its page calls it (token from the page), on the same stack. */
describe('the local console API', () => {
  const failures = `${prefix}-async-failures`; // standard, and nothing consumes or fills it here
  let token = '';
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${consoleUrl}api/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Console-Token': token, Origin: consoleUrl.slice(0, -1) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const depth = async (name: string) => {
    const all = (await (await fetch(`${consoleUrl}api/queues`)).json()) as { name: string; visible: number; inFlight: number }[];
    return all.find((queue) => queue.name === name);
  };

  /** Receives and deletes everything in the queue, through the console. */
  const drain = async (name: string) => {
    for (;;) {
      const { body } = await post(`queues/${name}/receive`, { max: 10, visibilitySeconds: 60 });
      const messages = body.messages as { receiptHandle: string }[];
      if (messages.length === 0) return;
      for (const message of messages) expect((await post(`queues/${name}/delete`, { receiptHandle: message.receiptHandle })).status).toBe(200);
    }
  };

  beforeAll(async () => {
    token = /name="console-token" content="([0-9a-f]+)"/.exec(await (await fetch(consoleUrl)).text())?.[1] ?? '';
  });

  it('peeks a queue in disjoint pages, releases them, deletes one and purges only when confirmed', async () => {
    expect((await post(`queues/${failures}/purge`, { confirm: 'another-queue' })).status).toBe(400);
    expect((await post(`queues/${failures}/purge`, { confirm: failures })).status).toBe(200);
    const bodies = Array.from({ length: 25 }, (_, i) => unique(`page-${i}`));
    for (const body of bodies) expect((await post(`queues/${failures}/send`, { body })).status).toBe(200);

    const seen: { body: string; receiptHandle: string }[] = [];
    for (let page = 0; page < 3; page++) {
      const { body } = await post(`queues/${failures}/receive`, { max: 10, visibilitySeconds: 60 });
      seen.push(...(body.messages as { body: string; receiptHandle: string }[]));
    }
    expect(seen.map((m) => m.body).sort()).toEqual([...bodies].sort());
    await expect(depth(failures)).resolves.toEqual(expect.objectContaining({ visible: 0, inFlight: 25 }));

    const [first, ...rest] = seen;
    expect((await post(`queues/${failures}/delete`, { receiptHandle: first?.receiptHandle })).status).toBe(200);
    const released = await post(`queues/${failures}/release`, { receiptHandles: rest.map((m) => m.receiptHandle) });
    expect(released.body).toEqual({ released: 24 });
    await expect(depth(failures)).resolves.toEqual(expect.objectContaining({ visible: 24, inFlight: 0 }));

    // Visibility 0 hands the same messages straight back: a page of them, each once.
    const again = (await post(`queues/${failures}/receive`, { max: 50, visibilitySeconds: 0 })).body.messages as { messageId: string }[];
    expect(again.length).toBeGreaterThan(0);
    expect(again.length).toBeLessThanOrEqual(24);
    expect(new Set(again.map((m) => m.messageId)).size).toBe(again.length);

    // SQS allows one purge per queue every 60 s (PurgeQueueInProgress): a second one is a conflict.
    const second = await post(`queues/${failures}/purge`, { confirm: failures });
    expect(second).toEqual({ status: 409, body: { error: expect.stringContaining('already in progress') as unknown } });
    await drain(failures);
  }, 60_000);

  it('answers bad requests with a clear 400 or 404 and sends nothing', async () => {
    const fifo = await post(`queues/${prefix}-work.fifo/send`, { body: '{}' });
    expect(fifo).toEqual({ status: 400, body: { error: `FIFO queue ${prefix}-work.fifo needs --group-id (a message group id)` } });
    expect((await post(`queues/${failures}/send`, { body: 'x', delay: 901 })).status).toBe(400);
    expect((await post(`queues/${failures}/send`, { body: 'x', attributes: [{ name: 'AWS.reserved', value: 'v' }] })).status).toBe(400);
    expect((await post('queues/no-such-queue/send', { body: 'x' })).status).toBe(404);
    expect((await post('scheduler/run', { action: 'reboot' })).status).toBe(400);
    const notification = await post(`topics/${encodeURIComponent(`arn:aws:sns:us-east-1:000000000000:${prefix}-notifications`)}/notify`, { notification: { type: 'instances-stopped', instanceIds: [] } });
    expect(notification.status).toBe(400);
    await expect(depth(failures)).resolves.toEqual(expect.objectContaining({ visible: 0 }));
  }, 60_000);
});

