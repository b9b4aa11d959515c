import {
  CreateSnapshotCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  type Volume,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { describeCaught, failureDraft, reportDraft } from '../../../handlers/domain/volumes/announce';
import { InvalidRetirementInputError, SnapshotFailedError, SnapshotTimeoutError, VolumeNoLongerRetirableError } from '../../../handlers/domain/volumes/errors';
import { nextWaitSeconds, parseRetirementInput, planRetirement, summarize } from '../../../handlers/domain/volumes/plan';
import { checkSnapshot, deleteVolume, snapshotVolume, type SnapshotProgress, type VolumeTasks } from '../../../handlers/domain/volumes/tasks';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-26T06:00:00Z');
const volume = (id: string, overrides: Partial<Volume> = {}): Volume => ({
  VolumeId: id,
  State: 'available',
  Size: 10,
  VolumeType: 'gp3',
  CreateTime: new Date(NOW - 30 * DAY),
  Attachments: [],
  ...overrides,
});
const defaults = { dryRun: true, ageLimitDays: 14 };

describe('parseRetirementInput', () => {
  it('fills what the input leaves out from the stage defaults', () => {
    expect(parseRetirementInput({}, defaults)).toEqual({ dryRun: true, ageLimitDays: 14 });
    expect(parseRetirementInput({ dryRun: false, ageLimit: 0 }, defaults)).toEqual({ dryRun: false, ageLimitDays: 0 });
  });

  it.each([
    ['a negative age', { ageLimit: -1 }, 'ageLimit'],
    ['a fractional age', { ageLimit: 1.5 }, 'ageLimit'],
    ['an age as text', { ageLimit: '14' }, 'ageLimit'],
    ['a dry run as text', { dryRun: 'false' }, 'dryRun'],
    ['a misspelt field', { dryrun: false }, 'dryrun'],
    ['an array', [], '(root)'],
  ])('refuses %s, naming the field', (_case, input, field) => {
    const attempt = () => parseRetirementInput(input, defaults);

    expect(attempt).toThrow(InvalidRetirementInputError);
    expect(attempt).toThrow(field);
  });
});

describe('planRetirement', () => {
  it('retires unattached volumes at least as old as the limit without the keep tag, keeps tagged ones, leaves younger ones', () => {
    const volumes = [
      volume('vol-old'),
      volume('vol-kept', { Tags: [{ Key: 'Keep', Value: '' }] }),
      volume('vol-young', { CreateTime: new Date(NOW - 13 * DAY) }),
      volume('vol-attached', { Attachments: [{ InstanceId: 'i-1' }] }),
      volume('vol-in-use', { State: 'in-use' }),
    ];

    const plan = planRetirement(volumes, NOW, { dryRun: false, ageLimitDays: 14, keepTagKey: 'Keep' });

    expect(plan.candidates.map((v) => v.volumeId)).toEqual(['vol-old']);
    expect(plan.kept.map((v) => v.volumeId)).toEqual(['vol-kept']);
    expect(plan.young.map((v) => v.volumeId)).toEqual(['vol-young']);
  });

  it('with age limit 0 retires a volume created just now', () => {
    const plan = planRetirement([volume('vol-new', { CreateTime: new Date(NOW) })], NOW, { dryRun: false, ageLimitDays: 0, keepTagKey: 'Keep' });

    expect(plan.candidates.map((v) => v.volumeId)).toEqual(['vol-new']);
  });

  it('estimates the monthly cost by type and copies only the volume’s own tags', () => {
    const summary = summarize(volume('vol-1', { Size: 100, VolumeType: 'gp2', Tags: [{ Key: 'Project', Value: 'p' }, { Key: 'aws:cloudformation:stack-name', Value: 's' }] }), NOW);

    expect(summary).toEqual({ volumeId: 'vol-1', sizeGiB: 100, volumeType: 'gp2', ageDays: 30, monthlyCostUsd: 10, tags: [{ Key: 'Project', Value: 'p' }] });
  });
});

describe('snapshot polling', () => {
  const policy = { firstWaitSeconds: 15, maxWaitSeconds: 300, timeoutSeconds: 3600 };

  it('doubles each wait up to the cap', () => {
    expect([15, 30, 240, 300].map((wait) => nextWaitSeconds(wait, policy))).toEqual([30, 60, 300, 300]);
  });
});

describe('the volume tasks', () => {
  const ec2Mock = mockClient(EC2Client);
  let now = NOW;
  const deps: VolumeTasks = { ec2: new EC2Client({ region: 'us-east-1' }), keepTagKey: 'Keep', waits: { firstWaitSeconds: 15, maxWaitSeconds: 300, timeoutSeconds: 3600 }, now: () => new Date(now) };
  const subject = summarize(volume('vol-0123456789abcdef0', { Tags: [{ Key: 'Project', Value: 'p' }] }), NOW);
  const progress = (overrides: Partial<SnapshotProgress> = {}): SnapshotProgress => ({
    snapshotId: 'snap-1',
    state: 'pending',
    deadline: new Date(NOW + 3600_000).toISOString(),
    waitSeconds: 15,
    checks: 0,
    ...overrides,
  });
  const notFound = Object.assign(new Error('The volume does not exist'), { name: 'InvalidVolume.NotFound' });

  beforeEach(() => {
    ec2Mock.reset();
    now = NOW;
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume(subject.volumeId)] });
  });

  it('snapshots with the volume’s tags, its id and the execution, and sets the first wait and the deadline', async () => {
    ec2Mock.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-1', State: 'pending' });

    const result = await snapshotVolume(deps, { volume: subject, dryRun: false, execution: 'run-1' });

    expect(result).toEqual(progress());
    expect(ec2Mock.commandCalls(CreateSnapshotCommand)[0]?.args[0].input.TagSpecifications).toEqual([
      {
        ResourceType: 'snapshot',
        Tags: [
          { Key: 'Project', Value: 'p' },
          { Key: 'retirement:source-volume', Value: subject.volumeId },
          { Key: 'retirement:execution', Value: 'run-1' },
        ],
      },
    ]);
  });

  it('in a dry run asks EC2 with DryRun for the snapshot and the deletion, and creates nothing', async () => {
    const dryRunAnswer = Object.assign(new Error('Request would have succeeded'), { name: 'DryRunOperation' });
    ec2Mock.on(CreateSnapshotCommand).rejects(dryRunAnswer);
    ec2Mock.on(DeleteVolumeCommand).rejects(dryRunAnswer);

    const result = await snapshotVolume(deps, { volume: subject, dryRun: true, execution: 'run-1' });

    expect(result).toEqual({ dryRun: true });
    expect(ec2Mock.commandCalls(CreateSnapshotCommand).map((c) => c.args[0].input.DryRun)).toEqual([true]);
    expect(ec2Mock.commandCalls(DeleteVolumeCommand).map((c) => c.args[0].input.DryRun)).toEqual([true]);
  });

  it.each([
    ['gone', () => ec2Mock.on(DescribeVolumesCommand).rejects(notFound)],
    ['attached', () => ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume(subject.volumeId, { State: 'in-use', Attachments: [{ InstanceId: 'i-1' }] })] })],
    ['kept', () => ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [volume(subject.volumeId, { Tags: [{ Key: 'Keep', Value: 'now' }] })] })],
  ])('refuses a volume that is %s since it was found, without snapshotting it', async (reason, arrange) => {
    arrange();

    await expect(snapshotVolume(deps, { volume: subject, dryRun: false, execution: 'run-1' })).rejects.toMatchObject({ name: 'VolumeNoLongerRetirableError', reason });
    expect(ec2Mock.commandCalls(CreateSnapshotCommand)).toEqual([]);
  });

  it('waits longer after each pending check, and fails the snapshot past its deadline', async () => {
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-1', State: 'pending' }] });

    expect(await checkSnapshot(deps, { volume: subject, snapshot: progress() })).toEqual(progress({ waitSeconds: 30, checks: 1 }));
    now = NOW + 3601_000;
    await expect(checkSnapshot(deps, { volume: subject, snapshot: progress() })).rejects.toThrow(SnapshotTimeoutError);
  });

  it.each([
    ['failed', { Snapshots: [{ SnapshotId: 'snap-1', State: 'error' as const, StateMessage: 'internal' }] }],
    ['vanished', { Snapshots: [] }],
  ])('fails a snapshot that %s', async (_case, answer) => {
    ec2Mock.on(DescribeSnapshotsCommand).resolves(answer);

    await expect(checkSnapshot(deps, { volume: subject, snapshot: progress() })).rejects.toThrow(SnapshotFailedError);
  });

  it('deletes the volume only once its snapshot has completed', async () => {
    ec2Mock.on(DeleteVolumeCommand).resolves({});

    await expect(deleteVolume(deps, { volume: subject, snapshot: progress({ state: 'pending' }) })).rejects.toThrow(SnapshotFailedError);
    expect(ec2Mock.commandCalls(DeleteVolumeCommand)).toEqual([]);
    await deleteVolume(deps, { volume: subject, snapshot: progress({ state: 'completed' }) });
    expect(ec2Mock.commandCalls(DeleteVolumeCommand).map((c) => c.args[0].input)).toEqual([{ VolumeId: subject.volumeId }]);
  });

  it('reports a volume deleted by someone else between the check and the deletion as gone', async () => {
    ec2Mock.on(DeleteVolumeCommand).rejects(notFound);

    await expect(deleteVolume(deps, { volume: subject, snapshot: progress({ state: 'completed' }) })).rejects.toThrow(VolumeNoLongerRetirableError);
  });
});

describe('the volume retirement announcements', () => {
  const subject = summarize(volume('vol-1'), NOW);

  it('reads a Lambda task’s error from the Catch (its cause is the error as JSON)', () => {
    expect(describeCaught({ Error: 'TagLimitExceeded', Cause: JSON.stringify({ errorType: 'TagLimitExceeded', errorMessage: 'too many tags' }) })).toEqual({ code: 'TagLimitExceeded', message: 'too many tags' });
    expect(describeCaught({ Error: 'States.Timeout', Cause: 'Task timed out' })).toEqual({ code: 'States.Timeout', message: 'Task timed out' });
  });

  it('announces a failed volume as critical, kept, with its error', () => {
    const draft = failureDraft(subject, { Error: 'SnapshotFailedError', Cause: JSON.stringify({ errorMessage: 'Snapshot snap-1 failed' }) }, false, 'run-1');

    expect(draft).toMatchObject({ type: 'volumes-report', severity: 'critical', failed: [{ volumeId: 'vol-1', code: 'SnapshotFailedError' }], deleted: [] });
    expect(draft.type === 'volumes-report' && draft.text).toContain('the volume is kept');
  });

  it('summarizes a dry run as what would be retired', () => {
    const draft = reportDraft({ at: '2026-03-26T06:00:00.000Z', dryRun: true, ageLimitDays: 14, candidates: [subject], kept: [], young: [], outcomes: [{ volumeId: 'vol-1', outcome: 'would-retire' }] }, 'run-1');

    expect(draft).toMatchObject({ type: 'volumes-report', dryRun: true, deleted: [], failed: [], title: '[dry run] EBS volume retirement: 1 unattached (~$0.80/month), would retire 1' });
  });
});
