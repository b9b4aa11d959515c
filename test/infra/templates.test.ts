import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { ROOT } from '../../shared/stage-env';
import { type Resource, STAGES, type Template, invokedFunction, logicalIdOf, ofType, packagedTemplate, templatePath } from './packaged-templates';
import { type AslState, statesOf } from '../../local-aws/step-functions';
import { BUNDLE_OPTIONS } from '../../deploy/esbuild-options';

const get = (stage: string): Template => packagedTemplate(stage);

describe('the packaged CloudFormation templates', () => {
  it('pass cfn-lint for stage prod', () => {
    const path = templatePath('prod');

    const result = spawnSync('cfn-lint', [path], { cwd: ROOT, encoding: 'utf8' });

    expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
  });

  it.each(STAGES)('bundle with the options the bench and the bundling tests take from deploy/esbuild-options.ts (%s)', (stage) => {
    const state = JSON.parse(readFileSync(join(ROOT, '.local-aws', `package-${stage}`, 'serverless-state.json'), 'utf8')) as { service: { custom: { esbuild: Record<string, unknown> } } };

    expect(state.service.custom.esbuild).toMatchObject(BUNDLE_OPTIONS);
  });

  it.each(STAGES)('give every consumed queue a visibility timeout of at least 6 x the function timeout + batching window (%s)', (stage) => {
    const template = get(stage);
    const mappings = ofType(template, 'AWS::Lambda::EventSourceMapping');

    expect(mappings.length).toBe(2);
    for (const [, mapping] of mappings) {
      const queue = template.Resources[logicalIdOf(mapping.Properties.EventSourceArn)];
      const fn = template.Resources[invokedFunction(template, mapping.Properties.FunctionName).fn];
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
      AuditQueue: { retention: 1209600, wait: 20, maxReceiveCount: undefined },
      SubscriptionDeadLetterQueue: { retention: 1209600, wait: 20, maxReceiveCount: undefined },
    });
  });

  it('send the failed asynchronous events of s3Copier, snsNotifier and ec2Scheduler to the async failures queue, and alarm on it and on the DLQs', () => {
    const template = get('prod');

    const destinations = ofType(template, 'AWS::Lambda::EventInvokeConfig').map(([, config]) => [
      (config.Properties.FunctionName as { Ref: string }).Ref,
      logicalIdOf((config.Properties.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination),
    ]);
    const alarmedQueues = ofType(template, 'AWS::CloudWatch::Alarm')
      .filter(([, alarm]) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map(([, alarm]) => logicalIdOf((alarm.Properties.Dimensions as { Value: unknown }[])[0]?.Value));
    expect(destinations.sort()).toEqual([
      ['Ec2SchedulerLambdaFunction', 'AsyncFailuresQueue'],
      ['S3CopierLambdaFunction', 'AsyncFailuresQueue'],
      ['SnsNotifierLambdaFunction', 'AsyncFailuresQueue'],
    ]);
    expect(alarmedQueues.sort()).toEqual(['AsyncFailuresQueue', 'SubscriptionDeadLetterQueue', 'WorkDeadLetterQueue', 'WorkFifoDeadLetterQueue']);
  });

  // PutLifecycleEventHookExecutionStatus has no resource type (Service Authorization Reference):
  // only "*" grants it (test/infra/iam evaluates the hook's verdict).
  it("give each function a role of its own whose only wildcard resources are the EC2 Describe calls and the pre-traffic hook's verdict", () => {
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
    expect(wildcards.sort()).toEqual([
      'Ec2SchedulerRole:ec2:DescribeInstances',
      'PreTrafficHookRole:codedeploy:PutLifecycleEventHookExecutionStatus',
      'SqsConsumerRole:ec2:DescribeInstances',
      'VolumeRetirementRole:ec2:DescribeVolumes,ec2:DescribeSnapshots',
    ]);
  });

  it.each(STAGES)('give every subscription of both topics a redrive policy to the subscription DLQ (%s)', (stage) => {
    const subscriptions = ofType(get(stage), 'AWS::SNS::Subscription');

    const targets = subscriptions.map(([id, sub]) => [id, logicalIdOf((sub.Properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn)]);

    expect(subscriptions.length).toBeGreaterThanOrEqual(4);
    expect(targets.filter(([, target]) => target !== 'SubscriptionDeadLetterQueue')).toEqual([]);
  });

  it('let both topics, and only they, send to the subscription DLQ, in one queue policy', () => {
    const policies = ofType(get('prod'), 'AWS::SQS::QueuePolicy').filter(([, policy]) =>
      (policy.Properties.Queues as { Ref: string }[]).some((queue) => queue.Ref === 'SubscriptionDeadLetterQueue'),
    );

    expect(policies).toHaveLength(1);
    const statement = (policies[0]?.[1].Properties.PolicyDocument as { Statement: { Condition: { ArnEquals: { 'aws:SourceArn': unknown } } }[] }).Statement[0];
    expect(statement?.Condition.ArnEquals['aws:SourceArn']).toEqual([{ Ref: 'NotificationsTopic' }, { Ref: 'AlarmsTopic' }]);
  });

  it('subscribe snsNotifier to notifications (kind = notification) and to every alarm, each with an invoke permission for its topic', () => {
    const template = get('prod');

    const toNotifier = ofType(template, 'AWS::SNS::Subscription')
      .filter(([, sub]) => invokedFunction(template, sub.Properties.Endpoint).fn === 'SnsNotifierLambdaFunction')
      .map(([, sub]) => ({ topic: (sub.Properties.TopicArn as { Ref: string }).Ref, protocol: sub.Properties.Protocol, filter: sub.Properties.FilterPolicy }));
    const permissions = ofType(template, 'AWS::Lambda::Permission')
      .filter(([, permission]) => invokedFunction(template, permission.Properties.FunctionName).fn === 'SnsNotifierLambdaFunction')
      .map(([, permission]) => [permission.Properties.Principal, (permission.Properties.SourceArn as { Ref: string }).Ref]);

    expect(toNotifier).toEqual([
      { topic: 'NotificationsTopic', protocol: 'lambda', filter: { kind: ['notification'] } },
      { topic: 'AlarmsTopic', protocol: 'lambda', filter: undefined },
    ]);
    expect(permissions.sort()).toEqual([
      ['sns.amazonaws.com', 'AlarmsTopic'],
      ['sns.amazonaws.com', 'NotificationsTopic'],
    ]);
  });

  it('give the audit queue the raw notifications of what the workers changed', () => {
    const [, audit] = ofType(get('prod'), 'AWS::SNS::Subscription').find(([, sub]) => logicalIdOf(sub.Properties.Endpoint) === 'AuditQueue') ?? [];

    expect(audit?.Properties).toMatchObject({
      Protocol: 'sqs',
      RawMessageDelivery: true,
      FilterPolicyScope: 'MessageAttributes',
      FilterPolicy: { kind: ['notification'], eventType: ['object-copied', 'instances-started', 'instances-stopped', 'volumes-cleaned-up'] },
    });
  });

  it('subscribe an alert e-mail address only on a stage that names one, to problems and to every alarm', () => {
    const withEmail = get('prod-with-email');
    const without = get('prod');

    const emails = (template: Template) =>
      ofType(template, 'AWS::SNS::Subscription')
        .filter(([, sub]) => sub.Properties.Protocol === 'email')
        .map(([, sub]) => ({ condition: sub.Condition, topic: (sub.Properties.TopicArn as { Ref: string }).Ref, filter: sub.Properties.FilterPolicy }));

    expect(emails(withEmail)).toEqual([
      { condition: 'HasAlertEmail', topic: 'NotificationsTopic', filter: { kind: ['notification'], severity: ['warning', 'critical'] } },
      { condition: 'HasAlertEmail', topic: 'AlarmsTopic', filter: undefined },
    ]);
    expect(withEmail.Parameters?.AlertEmail?.Default).toBe('ops@example.com');
    expect(without.Parameters?.AlertEmail?.Default).toBe('');
    expect(without.Conditions?.HasAlertEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlertEmail' }, ''] }] });
  });

  it.each(['dev', 'prod'])('let snsNotifier read exactly its webhook parameter on %s, and no other role touch SSM', (stage) => {
    const template = get(stage);

    const ssmGrants = [
      ...ofType(template, 'AWS::IAM::Role').flatMap(([id, role]) =>
        (role.Properties.Policies as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } }[]).flatMap((policy) =>
          policy.PolicyDocument.Statement.map((statement) => ({ id, actions: ([] as string[]).concat(statement.Action), resource: statement.Resource })),
        ),
      ),
      ...ofType(template, 'AWS::IAM::RolePolicy').flatMap(([, policy]) =>
        (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement.map((statement) => ({
          id: (policy.Properties.RoleName as { Ref: string }).Ref,
          condition: policy.Condition,
          actions: ([] as string[]).concat(statement.Action),
          resource: statement.Resource,
        })),
      ),
    ]
      // The topics' key, for publishing (test/infra/iam), is no secret's key.
      .filter((grant) => logicalIdOf(grant.resource) !== 'TopicsKey')
      // Nor is the copies' key (copyKmsKeyArn; test/infra/iam).
      .filter((grant) => (grant.resource as { Ref?: string }).Ref !== 'CopyKmsKeyArn')
      .filter((grant) => grant.actions.some((action) => action.startsWith('ssm:') || action.startsWith('kms:') || action.startsWith('secretsmanager:')));

    expect(ssmGrants).toEqual([
      {
        id: 'SnsNotifierRole',
        condition: 'HasWebhookUrlsParameter',
        actions: ['ssm:GetParameter'],
        resource: { 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/messaging-workers/${stage}/webhook-urls` },
      },
    ]);
    const environment = (template.Resources.SnsNotifierLambdaFunction?.Properties.Environment as { Variables: Record<string, string> }).Variables;
    expect([environment.WEBHOOK_URLS_PARAMETER, environment.WEBHOOK_URLS]).toEqual([`/messaging-workers/${stage}/webhook-urls`, '']);
  });

  it.each(STAGES)('tell sqsConsumer the maxReceiveCount of the queues it consumes (%s)', (stage) => {
    const template = get(stage);

    const counts = new Set(
      ['WorkQueue', 'WorkFifoQueue'].map((id) => String((template.Resources[id]?.Properties.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount)),
    );

    expect([...counts]).toEqual([(template.Resources.SqsConsumerLambdaFunction?.Properties.Environment as { Variables: Record<string, string> }).Variables.MAX_RECEIVE_COUNT]);
  });
});

// What the scheduler's roles may call is evaluated by the IAM engine (test/infra/iam): its call
// tables, the must-deny cases outside the schedule and keep tags.
describe('the EC2 scheduler (stage prod)', () => {
  const template = () => get('prod');

  it('reconciles every 5 minutes on deployed stages, every minute on test, and sends a failed run to the alarms at once', () => {
    const rules = (stage: string) =>
      ofType(get(stage), 'AWS::Events::Rule').map(([, rule]) => [rule.Properties.ScheduleExpression, JSON.parse(String((rule.Properties.Targets as { Input: string }[])[0]?.Input))]);

    expect(rules('prod')).toEqual([
      ['rate(5 minutes)', { action: 'reconcile' }],
      ['cron(0 6 * * ? *)', {}],
    ]);
    expect(rules('test')[0]).toEqual(['rate(1 minute)', { action: 'reconcile' }]);
    const invokeConfig = ofType(template(), 'AWS::Lambda::EventInvokeConfig').find(([, c]) => (c.Properties.FunctionName as { Ref: string }).Ref === 'Ec2SchedulerLambdaFunction');
    expect(invokeConfig?.[1].Properties.MaximumRetryAttempts).toBe(0);
    const alarm = template().Resources.Ec2SchedulerErrorsAlarm;
    expect(alarm?.Properties.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: 'Ec2SchedulerLambdaFunction' } }]);
  });
});


type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
const statementsOf = (template: Template, roleId: string): Statement[] =>
  ((template.Resources[roleId]?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((policy) => policy.PolicyDocument.Statement);
const actionsOf = (statement: Statement) => ([] as string[]).concat(statement.Action);

// What the task function's role may call (snapshots and deletes only volumes without the keep tag)
// is evaluated by the IAM engine (test/infra/iam): its call table and the must-deny cases.
describe('the retire-volumes state machine (stage prod)', () => {
  const template = () => get('prod');
  const machine = () => template().Resources.RetireVolumesStateMachine as Resource;
  /** The definition as CloudFormation creates it: the Fn::Sub template with its variables put in as text. */
  const definition = () => {
    const [text, variables] = (machine().Properties.DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] })['Fn::Sub'];
    return { text, variables, parsed: JSON.parse(text) as { States: Record<string, AslState> } };
  };
  const taskResources = () => statesOf(definition().parsed.States).filter(([, s]) => s.Type === 'Task').map(([name, s]) => [name, s.Resource]);

  it('validates with asl-validator, as deployed', () => {
    // Each ${...} of the template is an ARN at deploy time; a syntactically valid Lambda ARN stands in for it.
    const deployed = definition().text.replace(/\$\{[^}]+\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:messaging-workers-prod-volumeRetirement:live');

    const { isValid, errorsText } = aslValidator(JSON.parse(deployed));

    expect({ isValid, errors: isValid ? '' : errorsText() }).toEqual({ isValid: true, errors: '' });
  });

  it('runs every task on the volumeRetirement function at one qualified ARN, and its role may invoke exactly that and nothing else', () => {
    const { variables } = definition();
    const placeholders = [...new Set(taskResources().map(([, resource]) => resource))];
    const statements = statementsOf(template(), 'RetireVolumesFlowRole');

    expect(taskResources().length).toBeGreaterThanOrEqual(8);
    expect(placeholders).toHaveLength(1);
    const taskArn = variables[String(placeholders[0]).slice(2, -1)];
    expect(taskArn).toEqual({ 'Fn::Join': [':', [{ 'Fn::GetAtt': ['VolumeRetirementLambdaFunction', 'Arn'] }, expect.stringMatching(/^(\$LATEST|live|\d+)$/)]] });
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: taskArn }]);
    expect(machine().Properties.RoleArn).toEqual({ 'Fn::GetAtt': ['RetireVolumesFlowRole', 'Arn'] });
    const trust = (template().Resources.RetireVolumesFlowRole?.Properties.AssumeRolePolicyDocument as { Statement: { Principal: unknown; Condition: unknown }[] }).Statement;
    expect(trust).toEqual([expect.objectContaining({ Principal: { Service: 'states.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } })]);
  });

  it('is started by the daily housekeeping rule, whose role may start only this state machine', () => {
    const rules = ofType(template(), 'AWS::Events::Rule').filter(([, rule]) => JSON.stringify(rule.Properties.Targets).includes('RetireVolumesStateMachine'));
    const target = (rules[0]?.[1].Properties.Targets as { Arn: unknown; RoleArn: unknown; Input: string }[])[0];
    const roleId = logicalIdOf(target?.RoleArn);

    expect(rules.map(([, rule]) => rule.Properties.ScheduleExpression)).toEqual(['cron(0 6 * * ? *)']);
    expect(target?.Arn).toEqual({ Ref: 'RetireVolumesStateMachine' });
    expect(statementsOf(template(), roleId).map((s) => [actionsOf(s), s.Resource])).toEqual([[['states:StartExecution'], { Ref: 'RetireVolumesStateMachine' }]]);
  });

  it('bounds the Map, retries only throttling and Lambda service errors, and catches every failure of a volume step into its announcement', () => {
    const states = Object.fromEntries(statesOf(definition().parsed.States));
    const volumeSteps = ['Snapshot', 'CheckSnapshot', 'DeleteVolume'];

    expect(states.RetireEach?.MaxConcurrency).toBe(5);
    for (const [name, state] of Object.entries(states).filter(([, s]) => s.Type === 'Task')) {
      expect([name, (state.Retry ?? []).flatMap((r) => r.ErrorEquals)]).toEqual([name, expect.arrayContaining(['RequestLimitExceeded', 'Lambda.TooManyRequestsException'])]);
      expect([name, (state.Retry ?? []).flatMap((r) => r.ErrorEquals)]).not.toEqual([name, expect.arrayContaining(['States.ALL'])]);
    }
    for (const name of volumeSteps) expect([name, states[name]?.Catch]).toEqual([name, [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'AnnounceFailure' }]]);
    expect(states.ValidateInput?.Catch).toBeUndefined();
  });
});
