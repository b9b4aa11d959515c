import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../local-aws/stage-env';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };

const STAGES = ['local', 'test', 'dev', 'prod'] as const;
const templates = new Map<string, { path: string; template: Template }>();

function packageStage(stage: string): { path: string; template: Template } {
  const dir = join('.local-aws', `package-${stage}`);
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'sls'), ['package', '--stage', stage, '--package', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ESBUILD_WORK_FOLDER: join('.esbuild', `package-${stage}-${process.pid}`) },
  });
  if (result.status !== 0) throw new Error(`sls package --stage ${stage} failed:\n${result.stdout}\n${result.stderr}`);
  const path = join(ROOT, dir, 'cloudformation-template-update-stack.json');
  return { path, template: JSON.parse(readFileSync(path, 'utf8')) as Template };
}

beforeAll(() => {
  for (const stage of STAGES) templates.set(stage, packageStage(stage));
}, 120_000);

const get = (stage: string): Template => {
  const entry = templates.get(stage);
  if (!entry) throw new Error(`stage ${stage} was not packaged`);
  return entry.template;
};
const ofType = (template: Template, type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
const logicalIdOf = (value: unknown): string => {
  const getAtt = (value as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];
  return getAtt?.[0] ?? '';
};

describe('the packaged CloudFormation templates', () => {
  it('pass cfn-lint for stage prod', () => {
    const { path } = templates.get('prod') ?? { path: '' };

    const result = spawnSync('cfn-lint', [path], { cwd: ROOT, encoding: 'utf8' });

    expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
  });

  it.each(STAGES)('give every consumed queue a visibility timeout of at least 6 x the function timeout + batching window (%s)', (stage) => {
    const template = get(stage);
    const mappings = ofType(template, 'AWS::Lambda::EventSourceMapping');

    expect(mappings.length).toBe(2);
    for (const [, mapping] of mappings) {
      const queue = template.Resources[logicalIdOf(mapping.Properties.EventSourceArn)];
      const fn = template.Resources[logicalIdOf(mapping.Properties.FunctionName)];
      const timeout = Number(fn?.Properties.Timeout);
      const window = Number(mapping.Properties.MaximumBatchingWindowInSeconds ?? 0);
      expect(Number(queue?.Properties.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * timeout + window);
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  it.each(['dev', 'prod'])('keep AWS recommendations on deployed stage %s: redrive after 5 receives, 4-day retention, 14-day DLQs, long polling', (stage) => {
    const template = get(stage);
    const queues = ofType(template, 'AWS::SQS::Queue');

    const summary = Object.fromEntries(
      queues.map(([id, queue]) => [
        id,
        {
          retention: queue.Properties.MessageRetentionPeriod,
          wait: queue.Properties.ReceiveMessageWaitTimeSeconds,
          maxReceiveCount: (queue.Properties.RedrivePolicy as { maxReceiveCount?: number } | undefined)?.maxReceiveCount,
        },
      ]),
    );
    expect(summary).toEqual({
      WorkQueue: { retention: 345600, wait: 20, maxReceiveCount: 5 },
      WorkDeadLetterQueue: { retention: 1209600, wait: 20, maxReceiveCount: undefined },
      WorkFifoQueue: { retention: 345600, wait: 20, maxReceiveCount: 5 },
      WorkFifoDeadLetterQueue: { retention: 1209600, wait: 20, maxReceiveCount: undefined },
      AsyncFailuresQueue: { retention: 1209600, wait: 20, maxReceiveCount: undefined },
    });
  });

  it('send the failed asynchronous events of s3Copier and snsNotifier to the async failures queue, and alarm on it and on the DLQs', () => {
    const template = get('prod');

    const destinations = ofType(template, 'AWS::Lambda::EventInvokeConfig').map(([, config]) => [
      (config.Properties.FunctionName as { Ref: string }).Ref,
      logicalIdOf((config.Properties.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination),
    ]);
    const alarmedQueues = ofType(template, 'AWS::CloudWatch::Alarm')
      .filter(([, alarm]) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map(([, alarm]) => logicalIdOf((alarm.Properties.Dimensions as { Value: unknown }[])[0]?.Value));
    expect(destinations.sort()).toEqual([
      ['S3CopierLambdaFunction', 'AsyncFailuresQueue'],
      ['SnsNotifierLambdaFunction', 'AsyncFailuresQueue'],
    ]);
    expect(alarmedQueues.sort()).toEqual(['AsyncFailuresQueue', 'WorkDeadLetterQueue', 'WorkFifoDeadLetterQueue']);
  });

  it('give each function a role of its own whose only wildcard resource is ec2:DescribeInstances', () => {
    const template = get('prod');
    const functions = ofType(template, 'AWS::Lambda::Function');

    const roles = functions.map(([, fn]) => logicalIdOf(fn.Properties.Role));
    expect(new Set(roles).size).toBe(functions.length);
    const wildcards: string[] = [];
    for (const [id, role] of ofType(template, 'AWS::IAM::Role')) {
      for (const policy of role.Properties.Policies as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } }[]) {
        for (const statement of policy.PolicyDocument.Statement) {
          const actions = ([] as string[]).concat(statement.Action);
          expect(actions.every((action) => !action.includes('*'))).toBe(true);
          if (statement.Resource === '*') wildcards.push(`${id}:${actions.join(',')}`);
        }
      }
    }
    expect(wildcards.sort()).toEqual(['Ec2SchedulerRole:ec2:DescribeInstances', 'SqsConsumerRole:ec2:DescribeInstances']);
  });
});
