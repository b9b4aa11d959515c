import type * as Sns from '@aws-sdk/client-sns';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { lambdaContext } from '../support/lambda-context';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:messaging-workers-test-notifications';
const context = lambdaContext({ functionName: 'messaging-workers-test-volumeRetirement' });
const volume = { volumeId: 'vol-0123456789abcdef0', sizeGiB: 8, volumeType: 'gp3', ageDays: 20, monthlyCostUsd: 0.64, tags: [] };

let snsMock: AwsClientStub<Sns.SNSClient>;
let PublishCommand: typeof Sns.PublishCommand;

/** The handler as a fresh cold start with this environment, SNS faked at the client boundary. */
async function loadHandler(env: Record<string, string> = {}): Promise<Handler> {
  Object.assign(process.env, { AWS_REGION: 'us-east-1', NOTIFICATIONS_TOPIC_ARN: TOPIC, POWERTOOLS_LOG_LEVEL: 'ERROR', VOLUME_RETIREMENT_DRY_RUN: 'true', VOLUME_AGE_LIMIT_DAYS: '14' }, env);
  let handler: Handler | undefined;
  await jest.isolateModulesAsync(async () => {
    const sns = await import('@aws-sdk/client-sns');
    PublishCommand = sns.PublishCommand;
    snsMock = mockClient(sns.SNSClient);
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    handler = (await import('../../../handlers/volume-retirement/handler')).handler as unknown as Handler;
  });
  if (!handler) throw new Error('handler not loaded');
  return handler;
}

describe('the volumeRetirement handler', () => {
  it('validates an execution input against the stage defaults', async () => {
    const handler = await loadHandler({ VOLUME_AGE_LIMIT_DAYS: '30' });

    await expect(handler({ task: 'validate', input: { dryRun: false } }, context)).resolves.toEqual({ dryRun: false, ageLimitDays: 30 });
    await expect(handler({ task: 'validate', input: { ageLimit: -1 } }, context)).rejects.toMatchObject({ name: 'InvalidRetirementInputError' });
  });

  it('refuses an event that is not one of its tasks', async () => {
    const handler = await loadHandler();

    await expect(handler({ task: 'format-disk' }, context)).rejects.toMatchObject({ name: 'InvalidEventError' });
  });

  it('announces a caught failure as a critical volumes-report and returns the failed outcome', async () => {
    const handler = await loadHandler();
    const error = { Error: 'SnapshotFailedError', Cause: JSON.stringify({ errorType: 'SnapshotFailedError', errorMessage: 'Snapshot snap-1 failed; the volume is kept' }) };

    const outcome = await handler({ task: 'announce-failure', volume, error, dryRun: false, execution: 'run-1' }, context);

    expect(outcome).toEqual({ volumeId: volume.volumeId, outcome: 'failed', code: 'SnapshotFailedError', message: 'Snapshot snap-1 failed; the volume is kept' });
    const input = snsMock.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe(TOPIC);
    expect(input?.MessageAttributes?.eventType?.StringValue).toBe('volumes-report');
    expect(input?.MessageAttributes?.severity?.StringValue).toBe('critical');
    expect(input?.MessageAttributes?.source?.StringValue).toBe('volumeRetirement');
  });
});
