import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeInstancesCommand, StopInstancesCommand, type Tag } from '@aws-sdk/client-ec2';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { launchInstance } from '../../local-aws/seed-instances';
import { ROOT } from '../../local-aws/stage-env';
import { ec2, eventually, lambda, names } from '../support/local-aws';

const launch = (tags: Tag[]) => launchInstance(ec2, tags);

async function stateOf(instanceId: string): Promise<string | undefined> {
  const output = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return output.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

describe('ec2Scheduler on moto', () => {
  it('stops the tagged running instances on its stop schedule and leaves untagged ones running', async () => {
    const tagged = await launch([{ Key: 'Schedule', Value: 'office-hours' }]);
    const untagged = await launch([{ Key: 'Schedule', Value: 'always-on' }]);

    // The test stage's stop rule is rate(1 minute), fired by sls offline itself.
    await eventually(async () => (await stateOf(tagged)) === 'stopped', 75_000, 1000);

    expect(await stateOf(untagged)).toBe('running');
  }, 90_000);

  it('starts the tagged stopped instances when invoked with the start schedule input', async () => {
    const tagged = await launch([{ Key: 'Schedule', Value: 'office-hours' }]);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [tagged] }));
    await eventually(async () => (await stateOf(tagged)) === 'stopped', 10_000);

    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: names.function('ec2Scheduler'),
        Payload: readFileSync(join(ROOT, 'events', 'schedule-start.json')),
      }),
    );

    expect(output.FunctionError).toBeUndefined();
    const result = JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8')) as { changed: string[] };
    expect(result.changed).toContain(tagged);
    expect(await stateOf(tagged)).toBe('running');
  }, 90_000);
});
