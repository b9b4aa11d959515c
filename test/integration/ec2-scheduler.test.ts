import { DescribeInstancesCommand, type Tag } from '@aws-sdk/client-ec2';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { launchInstance } from '../../local-aws/seed-instances';
import { ec2, eventually, lambda, logLines, names } from '../support/local-aws';

const launch = (tags: Tag[]) => launchInstance(ec2, tags);

async function describe1(instanceId: string) {
  const output = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return output.Reservations?.[0]?.Instances?.[0];
}
const stateOf = async (instanceId: string) => (await describe1(instanceId))?.State?.Name;

describe('ec2Scheduler on moto, through sls offline', () => {
  it('stops, on its reconcile rule, a running instance whose schedule wants it stopped, and leaves an always-on one running', async () => {
    const maintenance = await launch([{ Key: 'Schedule', Value: 'maintenance' }]);
    const alwaysOn = await launch([{ Key: 'Schedule', Value: 'always-on' }]);

    // The test stage's reconcile rule is rate(1 minute), fired by sls offline itself.
    await eventually(async () => (await stateOf(maintenance)) === 'stopped', 75_000, 1000);

    expect(await stateOf(alwaysOn)).toBe('running');
    const tags = (await describe1(maintenance))?.Tags ?? [];
    expect(tags).toContainEqual({ Key: 'scheduler:last-action', Value: 'stopped' });
    // The run's summary (scheduler-run) and the change (instances-stopped) reached the notifications
    // topic, and snsNotifier, with the instance and its reason.
    const received = (eventType: string) => () =>
      logLines().find(
        (entry) => entry.message === 'Notification received' && entry.source === 'ec2Scheduler' && entry.eventType === eventType && String(entry.text).includes(maintenance),
      );
    const summary = await eventually(received('scheduler-run'));
    expect(String(summary.text)).toContain(`${maintenance} [maintenance] maintenance override stopped`);
    await eventually(received('instances-stopped'));
  }, 90_000);

  it('stops the instances an explicit event names, through the Lambda API', async () => {
    const target = await launch([{ Key: 'Schedule', Value: 'always-on' }]);

    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: names.function('ec2Scheduler'),
        Payload: Buffer.from(JSON.stringify({ action: 'stop', instanceIds: [target] })),
      }),
    );

    expect(output.FunctionError).toBeUndefined();
    const result = JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8')) as { stopped: string[] };
    expect(result.stopped).toEqual([target]);
    expect(await stateOf(target)).toBe('stopped');
  }, 90_000);
});
