import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildBundleOptions } from '../../../deploy/esbuild-options';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const plugins = require('../../../deploy/esbuild-plugins.cjs') as never[];

const ROOT = join(__dirname, '..', '..', '..');

/** The 1-based line of the first line of a project file containing `text`. */
function lineOf(file: string, text: string): number {
  const index = readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${text} is not in ${file}`);
  return index + 1;
}

/**
 * The sqsConsumer bundled as serverless.yml bundles it (custom.esbuild: minified ES modules with
 * code splitting, source maps of our code only beside the files), run in a Node process without
 * --enable-source-maps (as deployed), handed one batch; its log lines.
 */
async function logsOfBundledConsumer(body: string): Promise<{ logs: Record<string, unknown>[]; other: string; root: string }> {
  const work = mkdtempSync(join(tmpdir(), 'stack-traces-'));
  try {
    await build({
      entryPoints: [join(ROOT, 'handlers', 'sqs-consumer', 'handler.ts')],
      outbase: ROOT,
      outdir: work,
      ...esbuildBundleOptions(),
      plugins,
      logLevel: 'silent',
    });
    const runner = join(work, 'run.mjs');
    const event = {
      Records: [{ messageId: 'm-1', receiptHandle: 'r', body, attributes: { ApproximateReceiveCount: '1' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:work', awsRegion: 'us-east-1' }],
    };
    writeFileSync(
      runner,
      `const { handler } = await import('./handlers/sqs-consumer/handler.mjs');
       await handler(${JSON.stringify(event)}, { awsRequestId: 'test', functionName: 'sqsConsumer', getRemainingTimeInMillis: () => 30000 });`,
    );
    const result = spawnSync(process.execPath, [runner], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        POWERTOOLS_SERVICE_NAME: 'messaging-workers',
        DEST_BUCKET: 'messaging-workers-test-destination-local',
        NOTIFICATIONS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:messaging-workers-test-notifications',
      },
    });
    // Powertools writes ERROR and WARN lines to stderr, the others to stdout; anything else is a crash.
    const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
    return {
      logs: lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
      other: lines.filter((line) => !line.startsWith('{')).join('\n'),
      root: work,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe('stack traces of the bundled functions', () => {
  it('name the TypeScript file and line an error was thrown at, without --enable-source-maps', async () => {
    const { logs, other, root } = await logsOfBundledConsumer('not json');

    const failed = logs.find((line) => line.message === 'Job failed');
    expect({ failed: failed?.message, other }).toEqual({ failed: 'Job failed', other: '' });
    const stack = String((failed?.error as { stack?: string } | undefined)?.stack);
    const [header, first, second] = stack.split('\n');
    expect(header).toBe('MalformedMessageError: Message body is not JSON: Unexpected token \'o\', "not json" is not valid JSON');
    // The file as it sits in the folder the bundle runs from (/var/task/handlers/... on Lambda), not above it.
    const inRoot = `${root}/handlers/sqs-consumer/event.ts`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(first).toMatch(new RegExp(`^    at parseJson \\(${inRoot}:${lineOf('handlers/sqs-consumer/event.ts', 'throw new MalformedMessageError(`${what} is not JSON')}:\\d+\\)$`));
    expect(second).toMatch(new RegExp(`^    at parseRecord \\(${inRoot}:${lineOf('handlers/sqs-consumer/event.ts', "parseJson(record.body, messageId, 'Message body')")}:\\d+\\)$`));
  });

  it('leave the frames of bundled libraries at their bundle position (only our code is mapped)', async () => {
    const { logs } = await logsOfBundledConsumer('not json');

    const stack = String(((logs.find((line) => line.message === 'Job failed')?.error ?? {}) as { stack?: string }).stack);
    const libraryFrames = stack.split('\n').filter((line) => line.includes('handler.mjs:'));
    expect(libraryFrames.length).toBeGreaterThan(0);
    expect(stack).not.toMatch(/node_modules/);
  });
});
