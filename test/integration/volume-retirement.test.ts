import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateVolumeCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, type Tag } from '@aws-sdk/client-ec2';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { localAwsConfig } from '../../local-aws/config';
import { STAGE } from '../support/global-setup';
import { ec2, eventually, logLines, queueUrl, sqs } from '../support/local-aws';

const config = localAwsConfig(STAGE);
const STATE_MACHINE_ARN = `arn:aws:states:${config.region}:${config.accountId}:stateMachine:messaging-workers-${STAGE}-retire-volumes`;
const AUDIT_QUEUE = `messaging-workers-${STAGE}-audit`;
const sfn = new SFNClient({ region: config.region, endpoint: config.endpoint, credentials: config.credentials });

/** `aws stepfunctions start-execution` against the local endpoint, as an operator would start it. */
async function startWithCli(input: unknown): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'aws',
    ['stepfunctions', 'start-execution', '--endpoint-url', config.endpoint, '--state-machine-arn', STATE_MACHINE_ARN, '--input', JSON.stringify(input), '--output', 'json'],
    { env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: config.region } },
  );
  return (JSON.parse(stdout) as { executionArn: string }).executionArn;
}

/** Starts an execution with the CLI and waits until it has ended; its description and history. */
async function execute(input: unknown) {
  const executionArn = await startWithCli(input);
  const execution = await eventually(async () => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return described.status !== 'RUNNING' && described;
  }, 60_000);
  const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return { execution, events, output: JSON.parse(execution.output ?? 'null') as Record<string, string[]> | null };
}

async function unattachedVolume(tags: Tag[] = []): Promise<string> {
  const volume = await ec2.send(
    new CreateVolumeCommand({ AvailabilityZone: `${config.region}a`, Size: 2, VolumeType: 'gp3', ...(tags.length ? { TagSpecifications: [{ ResourceType: 'volume', Tags: tags }] } : {}) }),
  );
  return volume.VolumeId ?? '';
}

const exists = async (volumeId: string) => {
  const output = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })).catch((error: Error) => {
    if (error.name === 'InvalidVolume.NotFound') return { Volumes: [] };
    throw error;
  });
  return (output.Volumes ?? []).length === 1;
};
const snapshotsOf = async (volumeId: string) =>
  (await ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'tag:retirement:source-volume', Values: [volumeId] }] }))).Snapshots ?? [];

/** Which states were entered, in order, and what each left (name -> output), from the history. */
const entered = (events: HistoryEvent[]) => events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
const exits = (events: HistoryEvent[], name: string) =>
  events.filter((e) => e.type?.endsWith('StateExited') && e.stateExitedEventDetails?.name === name).map((e) => ({ id: e.id ?? 0, output: JSON.parse(e.stateExitedEventDetails?.output ?? 'null') as Record<string, unknown> }));

const notified = (eventType: string, predicate: (line: Record<string, unknown>) => boolean) => () =>
  logLines().find((line) => line.message === 'Notification received' && line.source === 'volumeRetirement' && line.eventType === eventType && predicate(line));

describe('the retire-volumes state machine, through sls offline and the local Step Functions API', () => {
  it('retires an old unattached volume (snapshot completed, then deleted, then announced on the audit queue) and keeps one with the keep tag', async () => {
    const old = await unattachedVolume([{ Key: 'Project', Value: 'left-behind' }]);
    const kept = await unattachedVolume([{ Key: 'Keep', Value: 'yes' }]);

    const { execution, events, output } = await execute({ dryRun: false, ageLimit: 0 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(output?.retired).toContain(old);
    expect(output?.kept).toContain(kept);
    expect(await exists(old)).toBe(false);
    expect(await exists(kept)).toBe(true);
    const [snapshot] = await snapshotsOf(old);
    expect(snapshot?.State).toBe('completed');
    expect(snapshot?.Tags).toEqual(expect.arrayContaining([{ Key: 'Project', Value: 'left-behind' }, { Key: 'retirement:source-volume', Value: old }]));
    expect(await snapshotsOf(kept)).toEqual([]);
    // The deletion came after a check that found the snapshot completed.
    const completedCheck = exits(events, 'CheckSnapshot').find((e) => (e.output.volume as { volumeId?: string } | undefined)?.volumeId === old);
    const deletion = exits(events, 'DeleteVolume').find((e) => (e.output.volume as { volumeId?: string } | undefined)?.volumeId === old);
    expect((completedCheck?.output.snapshot as { state?: string } | undefined)?.state).toBe('completed');
    expect(deletion?.id).toBeGreaterThan(completedCheck?.id ?? Infinity);
    const auditUrl = await queueUrl(AUDIT_QUEUE);
    const message = await eventually(async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: auditUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 600 }));
      return Messages.find((m) => m.Body?.includes(old));
    });
    expect(JSON.parse(message.Body ?? '')).toMatchObject({ type: 'volumes-cleaned-up', source: 'volumeRetirement', volumeIds: [old], freedGiB: 2 });
  }, 90_000);

  it('in a dry run decides and announces, and changes nothing', async () => {
    const volume = await unattachedVolume();

    const { execution, output } = await execute({ dryRun: true, ageLimit: 0 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(output?.wouldRetire).toContain(volume);
    expect(output?.retired).toEqual([]);
    expect(await exists(volume)).toBe(true);
    expect(await snapshotsOf(volume)).toEqual([]);
    await eventually(notified('volumes-report', (line) => String(line.text).includes('Dry run: yes') && String(line.text).includes('Would snapshot, then delete') && String(line.text).includes(volume)));
  }, 90_000);

  it('ends a volume whose snapshot fails in the Catch path: the failure announced, the volume kept', async () => {
    // 49 tags of its own: with the two the workflow adds, its snapshot would carry 51, one over
    // EC2's limit, so CreateSnapshot fails (TagLimitExceeded) for real.
    const crowded = await unattachedVolume(Array.from({ length: 49 }, (_, i) => ({ Key: `cost-centre-${i}`, Value: 'x' })));

    const { execution, events, output } = await execute({ dryRun: false, ageLimit: 0 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(output?.failed).toContain(crowded);
    expect(await exists(crowded)).toBe(true);
    const failure = exits(events, 'AnnounceFailure').find((e) => e.output.volumeId === crowded);
    expect(failure?.output).toMatchObject({ outcome: 'failed', code: 'TagLimitExceeded' });
    await eventually(notified('volumes-report', (line) => line.severity === 'critical' && String(line.text).includes(crowded) && String(line.text).includes('TagLimitExceeded')));
  }, 90_000);

  it.each([
    ['a negative age limit', { ageLimit: -1 }, 'ageLimit'],
    ['a dry run that is not a boolean', { dryRun: 'yes' }, 'dryRun'],
    ['an unknown field', { dryrun: true }, 'dryrun'],
  ])('fails an execution with %s at its first state, with a clear error', async (_case, input, field) => {
    const { execution, events } = await execute(input);

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InvalidRetirementInputError');
    expect(execution.cause).toContain(field);
    expect(entered(events)).toEqual(['ValidateInput']);
  }, 60_000);
});
