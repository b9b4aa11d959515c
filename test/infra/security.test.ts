import { type Resource, type Template, logicalIdOf, ofType, packagedTemplate } from './packaged-templates';

/**
 * What a security reviewer signs off, rule by rule, over the packaged templates (stage prod unless
 * said otherwise). Each table names the resources it expects, so a resource added without its
 * encryption, policy, retention or alarm fails here.
 */
const prod = (): Template => packagedTemplate('prod');
const dev = (): Template => packagedTemplate('dev');

type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
const actionsOf = (statement: Statement) => ([] as string[]).concat(statement.Action);
const refOf = (value: unknown) => (value as { Ref?: string } | undefined)?.Ref ?? logicalIdOf(value);

/** Every policy document of the template, with where it is. */
function policyDocuments(template: Template): { where: string; statements: Statement[] }[] {
  const documents: { where: string; statements: Statement[] }[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const p = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of (p.Policies ?? []) as { PolicyName: string; PolicyDocument: { Statement: Statement[] } }[]) {
        documents.push({ where: `${id}/${policy.PolicyName}`, statements: policy.PolicyDocument.Statement });
      }
      documents.push({ where: `${id}/trust`, statements: (p.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement });
    }
    if (['AWS::IAM::RolePolicy', 'AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy'].includes(resource.Type)) {
      documents.push({ where: id, statements: (p.PolicyDocument as { Statement: Statement[] }).Statement });
    }
    if (resource.Type === 'AWS::KMS::Key') documents.push({ where: id, statements: (p.KeyPolicy as { Statement: Statement[] }).Statement });
  }
  return documents;
}

describe('encryption at rest (prod)', () => {
  it('encrypts every queue (SSE-SQS), every topic (the stack key) and every bucket (SSE-S3)', () => {
    const template = prod();

    const encryption = Object.fromEntries(
      Object.entries(template.Resources).flatMap(([id, r]): [string, unknown][] => {
        if (r.Type === 'AWS::SQS::Queue') return [[id, r.Properties.SqsManagedSseEnabled]];
        if (r.Type === 'AWS::SNS::Topic') return [[id, refOf(r.Properties.KmsMasterKeyId)]];
        if (r.Type === 'AWS::S3::Bucket') {
          const rules = (r.Properties.BucketEncryption as { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[] } | undefined)
            ?.ServerSideEncryptionConfiguration;
          return [[id, rules?.[0]?.ServerSideEncryptionByDefault.SSEAlgorithm]];
        }
        return [];
      }),
    );

    expect(encryption).toEqual({
      WorkQueue: true,
      WorkDeadLetterQueue: true,
      WorkFifoQueue: true,
      WorkFifoDeadLetterQueue: true,
      AsyncFailuresQueue: true,
      AuditQueue: true,
      SubscriptionDeadLetterQueue: true,
      NotificationsTopic: 'TopicsKey',
      AlarmsTopic: 'TopicsKey',
      S3BucketSource: 'AES256',
      DestinationBucket: 'AES256',
      ServerlessDeploymentBucket: 'AES256',
    });
  });

  it('encrypts the topics with a customer-managed key that rotates, under an alias of the stage', () => {
    const template = prod();

    const [[keyId, key] = ['', undefined]] = ofType(template, 'AWS::KMS::Key');
    const aliases = ofType(template, 'AWS::KMS::Alias').map(([, alias]) => [alias.Properties.AliasName, refOf(alias.Properties.TargetKeyId)]);

    expect(keyId).toBe('TopicsKey');
    expect(key?.Properties.EnableKeyRotation).toBe(true);
    expect(aliases).toEqual([['alias/messaging-workers-prod-topics', 'TopicsKey']]);
  });
});

// Who may use the key, publish to the topics and reach the buckets, queues and topics (over TLS
// only) is evaluated by the IAM engine: test/infra/iam (deliveries and must-deny cases).
describe('policies (prod)', () => {
  it('allow no wildcard action anywhere: roles, resource policies, the key policy', () => {
    const wildcards = policyDocuments(prod()).flatMap(({ where, statements }) =>
      statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).some((action) => action.includes('*'))).map((s) => `${where}:${actionsOf(s).join(',')}`),
    );

    expect(wildcards).toEqual([]);
  });

  it('use a wildcard action only to deny insecure transport', () => {
    const denies = policyDocuments(prod()).flatMap(({ statements }) => statements.filter((s) => s.Effect === 'Deny'));

    expect(denies.length).toBeGreaterThan(0);
    for (const deny of denies) {
      const conditions = Object.entries(deny.Condition ?? {}).map(([operator, keys]) => [operator, Object.keys(keys), String(Object.values(keys)[0])]);
      expect([deny.Principal, conditions]).toEqual(['*', [['Bool', ['aws:SecureTransport'], 'false']]]);
    }
  });
});

describe('buckets and logs', () => {
  it('block public access and disable ACLs (bucket owner enforced) on every bucket, the deployment bucket included', () => {
    const buckets = Object.fromEntries(
      ofType(prod(), 'AWS::S3::Bucket').map(([id, bucket]) => [
        id,
        {
          publicAccess: bucket.Properties.PublicAccessBlockConfiguration,
          ownership: (bucket.Properties.OwnershipControls as { Rules: { ObjectOwnership: string }[] } | undefined)?.Rules.map((rule) => rule.ObjectOwnership),
        },
      ]),
    );

    const blocked = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
    const expected = { publicAccess: blocked, ownership: ['BucketOwnerEnforced'] };
    expect(buckets).toEqual({ S3BucketSource: expected, DestinationBucket: expected, ServerlessDeploymentBucket: expected });
  });

  it.each([
    ['dev', 14],
    ['prod', 30],
  ])('give every function log group a retention (%s: %i days)', (stage, days) => {
    const template = packagedTemplate(stage);

    const retention = ofType(template, 'AWS::Logs::LogGroup').map(([, group]) => group.Properties.RetentionInDays);

    expect(retention).toEqual(ofType(template, 'AWS::Lambda::Function').map(() => days));
  });
});

describe('what is retained when a stack is removed or a resource replaced', () => {
  /** What holds data: the buckets (not the deployment bucket), every dead-letter queue, the audit queue, the topics' key. */
  const HOLDS_DATA = [
    'S3BucketSource',
    'DestinationBucket',
    'WorkDeadLetterQueue',
    'WorkFifoDeadLetterQueue',
    'AsyncFailuresQueue',
    'SubscriptionDeadLetterQueue',
    'AuditQueue',
    'TopicsKey',
  ].sort();
  // Published versions are the framework's, retained so that a new version replacing one in the
  // template does not delete the version an alias may still route to (a rollback, an A/B test);
  // they go when the function goes.
  const policies = (template: Template) =>
    Object.fromEntries(
      Object.entries(template.Resources)
        .filter(([, r]: [string, Resource]) => r.Type !== 'AWS::Lambda::Version')
        .filter(([, r]: [string, Resource]) => r.DeletionPolicy !== undefined || r.UpdateReplacePolicy !== undefined)
        .map(([id, r]) => [id, [r.DeletionPolicy, r.UpdateReplacePolicy]]),
    );

  it('declares every bucket and every dead-letter queue of the template as holding data', () => {
    const template = prod();
    const deadLetterTargets = [
      ...Object.values(template.Resources).map((r) => (r.Properties?.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn),
      ...ofType(template, 'AWS::Lambda::EventInvokeConfig').map(([, c]) => (c.Properties.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination),
    ]
      .filter((target) => target !== undefined)
      .map(logicalIdOf);
    const buckets = ofType(template, 'AWS::S3::Bucket')
      .map(([id]) => id)
      .filter((id) => id !== 'ServerlessDeploymentBucket');

    expect([...new Set([...deadLetterTargets, ...buckets])].filter((id) => !HOLDS_DATA.includes(id))).toEqual([]);
  });

  it('retains what holds data on prod (except after a failed create), and nothing else', () => {
    // RetainExceptOnCreate: a failed first deploy deletes what it created, so its retry meets no leftover names. UpdateReplacePolicy has no such value.
    expect(policies(prod())).toEqual(Object.fromEntries(HOLDS_DATA.map((id) => [id, ['RetainExceptOnCreate', 'Retain']])));
  });

  it('deletes everything with the stack on dev (sls remove --stage dev cleans up)', () => {
    expect(policies(dev())).toEqual(Object.fromEntries(HOLDS_DATA.map((id) => [id, ['Delete', 'Delete']])));
  });

  it.each(['dev', 'prod'])('retains every published version, and only versions besides the data (%s)', (stage) => {
    const versions = ofType(packagedTemplate(stage), 'AWS::Lambda::Version');

    expect(versions.length).toBe(ofType(packagedTemplate(stage), 'AWS::Lambda::Function').length);
    expect(versions.map(([, version]) => version.DeletionPolicy)).toEqual(versions.map(() => 'Retain'));
  });
});

describe('alarms (prod)', () => {
  type Alarm = {
    id: string;
    metric: string;
    dimension: string;
    statistic: unknown;
    period: unknown;
    threshold: unknown;
    comparison: unknown;
    missing: unknown;
  };
  const alarms = (template: Template): Alarm[] =>
    ofType(template, 'AWS::CloudWatch::Alarm').map(([id, alarm]) => ({
      id,
      metric: `${String(alarm.Properties.Namespace)}/${String(alarm.Properties.MetricName)}`,
      dimension: refOf((alarm.Properties.Dimensions as { Value: unknown }[])[0]?.Value),
      statistic: alarm.Properties.Statistic,
      period: alarm.Properties.Period,
      threshold: alarm.Properties.Threshold,
      comparison: alarm.Properties.ComparisonOperator,
      missing: alarm.Properties.TreatMissingData,
    }));
  const find = (template: Template, metric: string, dimension: string) => alarms(template).filter((a) => a.metric === metric && a.dimension === dimension);

  it('alarm on the depth of every dead-letter queue (any message), on the age of the oldest message of every consumed queue (15 minutes), on every function errors and throttles (any)', () => {
    const template = prod();
    const deadLetterQueues = [
      ...new Set(
        [
          ...Object.values(template.Resources).map((r) => (r.Properties?.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn),
          ...ofType(template, 'AWS::Lambda::EventInvokeConfig').map(([, c]) => (c.Properties.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination),
        ]
          .filter((target) => target !== undefined)
          .map(logicalIdOf),
      ),
    ].sort();
    const consumedQueues = ofType(template, 'AWS::Lambda::EventSourceMapping')
      .map(([, m]) => logicalIdOf(m.Properties.EventSourceArn))
      .sort();
    const functions = ofType(template, 'AWS::Lambda::Function').map(([id]) => id);
    // The released functions alarm on their new version's errors as well (test/infra/releases.test.ts).
    const released = ofType(template, 'AWS::Lambda::Alias').map(([, alias]) => refOf(alias.Properties.FunctionName));

    const summary = {
      depth: deadLetterQueues.map((q) => find(template, 'AWS/SQS/ApproximateNumberOfMessagesVisible', q).map((a) => [q, a.statistic, a.threshold, a.comparison])),
      age: consumedQueues.map((q) => find(template, 'AWS/SQS/ApproximateAgeOfOldestMessage', q).map((a) => [q, a.statistic, a.threshold, a.comparison])),
      errors: functions.map((f) => find(template, 'AWS/Lambda/Errors', f).map((a) => [f, a.statistic, a.threshold, a.comparison])),
      throttles: functions.map((f) => find(template, 'AWS/Lambda/Throttles', f).map((a) => [f, a.statistic, a.threshold, a.comparison])),
    };

    expect(deadLetterQueues).toEqual(['AsyncFailuresQueue', 'SubscriptionDeadLetterQueue', 'WorkDeadLetterQueue', 'WorkFifoDeadLetterQueue']);
    expect(consumedQueues).toEqual(['WorkFifoQueue', 'WorkQueue']);
    expect(summary).toEqual({
      depth: deadLetterQueues.map((q) => [[q, 'Maximum', 0, 'GreaterThanThreshold']]),
      age: consumedQueues.map((q) => [[q, 'Maximum', 900, 'GreaterThanThreshold']]),
      errors: functions.map((f) => (released.includes(f) ? [[f, 'Sum', 0, 'GreaterThanThreshold'], [f, 'Sum', 0, 'GreaterThanThreshold']] : [[f, 'Sum', 0, 'GreaterThanThreshold']])),
      throttles: functions.map((f) => [[f, 'Sum', 0, 'GreaterThanThreshold']]),
    });
  });

  it.each([
    ['prod', 300, 600],
    ['test', 60, 180],
  ])('alarm when the scheduler misses its runs: no invocation over a period longer than the reconcile rate, missing data breaching (%s)', (stage, rateSeconds, period) => {
    const template = packagedTemplate(stage);
    const rate = ofType(template, 'AWS::Events::Rule')
      .map(([, rule]) => String(rule.Properties.ScheduleExpression))
      .find((expression) => expression.startsWith('rate('));
    const [amount = '0', unit = ''] = /^rate\((\d+) (minutes?|hours?)\)$/.exec(rate ?? '')?.slice(1) ?? [];
    const seconds = Number(amount) * (unit.startsWith('hour') ? 3600 : 60);

    const missed = find(template, 'AWS/Lambda/Invocations', 'Ec2SchedulerLambdaFunction');

    expect(seconds).toBe(rateSeconds);
    expect(missed.map(({ statistic, period: p, threshold, comparison, missing }) => ({ statistic, p, threshold, comparison, missing }))).toEqual([
      { statistic: 'Sum', p: period, threshold: 1, comparison: 'LessThanThreshold', missing: 'breaching' },
    ]);
    expect(period).toBeGreaterThan(seconds);
  });

  it('name every alarm with the prefix the alarms topic policy and the key policy let publish', () => {
    const names = ofType(prod(), 'AWS::CloudWatch::Alarm').map(([, alarm]) => String(alarm.Properties.AlarmName));

    expect(names.filter((name) => !name.startsWith('messaging-workers-prod-'))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('send every alarm, and its return to OK, to the alarms topic', () => {
    const actions = ofType(prod(), 'AWS::CloudWatch::Alarm').map(([id, alarm]) => [id, alarm.Properties.AlarmActions, alarm.Properties.OKActions]);

    // Per function (the five workers and the pre-traffic hook): errors and throttles; per worker
    // released by CodeDeploy: its new version's errors; the queues' dead letters and backlog ages;
    // the scheduler's missed runs; the retire-volumes executions that fail or time out.
    const functions = ['S3Copier', 'Ec2Scheduler', 'VolumeRetirement', 'SnsNotifier', 'SqsConsumer', 'PreTrafficHook'];
    const workers = functions.filter((fn) => fn !== 'PreTrafficHook');
    const expected = [
      ...functions.flatMap((fn) => [`${fn}ErrorsAlarm`, `${fn}ThrottlesAlarm`]),
      ...workers.map((fn) => `${fn}NewVersionErrorsAlarm`),
      ...['WorkDeadLetterQueue', 'WorkFifoDeadLetterQueue', 'AsyncFailuresQueue', 'SubscriptionDeadLetterQueue'].map((queue) => `${queue}NotEmptyAlarm`),
      'WorkQueueBacklogAgeAlarm',
      'WorkFifoQueueBacklogAgeAlarm',
      'Ec2SchedulerMissedRunsAlarm',
      'RetireVolumesExecutionsFailedAlarm',
      'RetireVolumesExecutionsTimedOutAlarm',
    ];
    expect(actions.map(([id]) => String(id)).sort()).toEqual(expected.sort());
    expect(actions.length).toBe(26);
    for (const [id, alarmActions, okActions] of actions) expect([id, alarmActions, okActions]).toEqual([id, [{ Ref: 'AlarmsTopic' }], [{ Ref: 'AlarmsTopic' }]]);
  });
});
