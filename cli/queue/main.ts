/**
 * `npm run queue -- <command> [options]`: the everyday work on the service's queues, on the local
 * stage by default or on any stage with `--stage dev`. `npm run queue -- --help` lists the commands.
 * Results go to stdout, progress and errors to stderr; exit 2 when a command cannot run as given,
 * 1 when it ran and something failed.
 */
import { Command, CommanderError } from 'commander';
import { deleteMessage } from './delete';
import { isConnectionRefused, missingAwsSetup } from './aws-errors';
import { AwsSetupError, CliError, EndpointUnreachableError, PartialFailureError } from './errors';
import { parseInteger } from './message';
import { checkPurgeConfirmed, purge } from './purge';
import { formatMessage, receive, receiveOptions, type ReceiveFlags } from './receive';
import { redrive, redriveTarget } from './redrive';
import { ALIASES, queueRef, resolveQueue } from './resolve-queue';
import { bulkFailure, planSend, type SendFlags, sendBulk, sendOne } from './send';
import { openStage } from './stage';
import { formatStats, queueStats } from './stats';

interface QueueFlags {
  stage: string;
  queue: string;
}

const out = (text: string) => process.stdout.write(`${text}\n`);
const note = (text: string) => process.stderr.write(`${text}\n`);
const collect = (value: string, previous: string[]) => [...previous, value];

function queueCommand(program: Command, name: string, description: string, defaultQueue = 'work'): Command {
  return program
    .command(name)
    .description(description)
    .option('--stage <stage>', 'the stage: one with a .env.<stage> file (local, test) runs on this machine, others on AWS', 'local')
    .option('-q, --queue <queue>', `an alias (${ALIASES.join(', ')}), a full queue name or a queue URL`, defaultQueue);
}

/** The stage's environment first (before the client exists), then the queue. */
async function open(flags: QueueFlags) {
  const stage = openStage(flags.stage);
  return { stage, queue: await resolveQueue(flags.queue, stage.name) };
}

// exitOverride before the commands are added: they inherit it, and main() picks the exit code.
const program = new Command('queue')
  .description('Work with the messaging-workers queues: send, receive, delete, purge, stats, redrive.')
  .exitOverride();

queueCommand(program, 'send', 'send one message (--body or --file) or one per line of a JSONL file (--jsonl)')
  .option('--body <body>', 'the message body (JSON or text)')
  .option('--file <path>', 'a file whose whole content is the body')
  .option('--jsonl <path>', 'one message per line: a body, or {"body", "groupId", "dedupId", "attributes", "delay"}')
  .option('--attribute <name=value>', 'a String message attribute (repeatable)', collect, [])
  .option('--group-id <id>', 'message group id (FIFO queues; required there)')
  .option('--dedup-id <id>', 'message deduplication id (FIFO queues)')
  .option('--delay <seconds>', 'delivery delay, 0-900 (standard queues)')
  .action(async (flags: QueueFlags & SendFlags) => {
    const stage = openStage(flags.stage);
    const plan = planSend(queueRef(flags.queue, stage.name).name, flags);
    const queue = await resolveQueue(flags.queue, stage.name);
    if (plan.kind === 'one') {
      out(await sendOne(queue, plan.message));
      return;
    }
    const result = await sendBulk(queue, plan.messages);
    for (const { messageId } of result.sent) out(messageId);
    note(`sent ${result.sent.length}, failed ${result.failed.length} (${queue.name})`);
    if (result.failed.length > 0) throw bulkFailure(plan.file, result);
  });

queueCommand(program, 'receive', 'long-poll for messages and show them with their attributes and receipt handles')
  .option('--wait <seconds>', 'long-poll wait, 0-20', '20')
  .option('--max <count>', 'messages to receive, 1-10', '1')
  .option('--visibility <seconds>', 'visibility timeout for the received messages, 0-43200')
  .option('--json', 'one JSON object per message')
  .action(async (flags: QueueFlags & ReceiveFlags & { json?: boolean }) => {
    const options = receiveOptions(flags);
    const { queue } = await open(flags);
    const messages = await receive(queue, options);
    if (messages.length === 0) note(`no message in ${queue.name} within ${options.waitSeconds} s`);
    for (const message of messages) out(flags.json ? JSON.stringify(message) : `${formatMessage(message)}\n`);
  });

queueCommand(program, 'delete', 'delete a received message by its receipt handle')
  .requiredOption('--receipt-handle <handle>', 'the receipt handle `receive` printed')
  .action(async (flags: QueueFlags & { receiptHandle: string }) => {
    const { queue } = await open(flags);
    await deleteMessage(queue, flags.receiptHandle);
    out(`deleted the message from ${queue.name}`);
  });

queueCommand(program, 'purge', 'delete every message of the queue')
  .option('--yes', 'confirm (needed on stages that run on AWS)')
  .action(async (flags: QueueFlags & { yes?: boolean }) => {
    const stage = openStage(flags.stage);
    checkPurgeConfirmed(queueRef(flags.queue, stage.name).name, stage, flags.yes === true);
    const queue = await resolveQueue(flags.queue, stage.name);
    await purge(queue);
    out(`purged ${queue.name}`);
  });

queueCommand(program, 'stats', 'approximate visible, in-flight and delayed messages of the queue and its dead-letter queue')
  .option('--json', 'as JSON: { queue, dlq }')
  .action(async (flags: QueueFlags & { json?: boolean }) => {
    const { stage, queue } = await open(flags);
    const stats = await queueStats(queue, stage.name);
    out(flags.json ? JSON.stringify(stats) : formatStats(stats));
  });

queueCommand(program, 'redrive', 'move the messages of a dead-letter queue back to its source queue', 'work-dlq')
  .option('--to <queue>', 'the source queue (default: from the RedriveAllowPolicy, else the name without -dlq)')
  .option('--max <count>', 'move at most this many (by hand)')
  .action(async (flags: QueueFlags & { to?: string; max?: string }) => {
    const max = flags.max === undefined ? undefined : parseInteger('--max', flags.max, 1, Number.MAX_SAFE_INTEGER);
    const { stage, queue: dlq } = await open(flags);
    const target = await redriveTarget(dlq, stage.name, flags.to);
    const result = await redrive(dlq, target, stage.name, max);
    out(`moved ${result.moved} message(s) from ${dlq.name} to ${target.name} ${result.method}${result.note ? `: ${result.note}` : ''}`);
    if (result.failed.length > 0) {
      throw new PartialFailureError(
        `${result.failed.length} message(s) not moved:\n${result.failed.map((f) => `  ${f.ref}: ${f.reason}`).join('\n')}`,
        result.failed,
      );
    }
  });

/** The SDK's set-up and connection failures, said in terms of the stage. */
function toCliError(error: unknown, stage: string): unknown {
  const setup = missingAwsSetup(error);
  if (setup) return new AwsSetupError(stage, setup);
  const endpoint = process.env.AWS_ENDPOINT_URL_SQS ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint && isConnectionRefused(error)) return new EndpointUnreachableError(stage, endpoint);
  return error;
}

async function main(): Promise<number> {
  let stage = 'local';
  program.hook('preAction', (_program, command) => {
    stage = String(command.opts().stage ?? stage);
  });
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (error) {
    // commander has printed its own message (or the help).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const known = toCliError(error, stage);
    if (known instanceof CliError) {
      note(`error: ${known.message}`);
      return known.exitCode;
    }
    note(`unexpected error: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

void main().then((code) => {
  process.exitCode = code;
});
