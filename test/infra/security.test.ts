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
const asList = (value: unknown): unknown[] => ([] as unknown[]).concat(value);

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

/** Allow statements of a role (inline policies and separate role policies). */
function roleStatements(template: Template, roleId: string): Statement[] {
  return policyDocuments(template)
    .filter(({ where }) => where.startsWith(`${roleId}/`) && !where.endsWith('/trust'))
    .flatMap(({ statements }) => statements)
    .concat(
      ofType(template, 'AWS::IAM::RolePolicy')
        .filter(([, policy]) => refOf(policy.Properties.RoleName) === roleId)
        .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement),
    );
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

  it('lets exactly the services that publish to the topics use the key: CloudWatch (alarms), for this account and stack; S3 publishes to no topic', () => {
    const template = prod();
    const statements = (template.Resources.TopicsKey?.Properties.KeyPolicy as { Statement: Statement[] }).Statement;

    // The services a topic policy lets publish, and any S3 notification to a topic.
    const publishingServices = ofType(template, 'AWS::SNS::TopicPolicy')
      .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((s) => s.Effect === 'Allow' && actionsOf(s).includes('sns:Publish'))
      .flatMap((s) => asList((s.Principal as { Service?: unknown }).Service));
    const s3ToTopics = ofType(template, 'AWS::S3::Bucket').filter(([, bucket]) => (bucket.Properties.NotificationConfiguration as { TopicConfigurations?: unknown } | undefined)?.TopicConfigurations);
    const keyServices = statements.flatMap((s) => asList((s.Principal as { Service?: unknown }).Service)).filter((service) => service !== undefined);
    const keyAccounts = statements.flatMap((s) => asList((s.Principal as { AWS?: unknown }).AWS)).filter((account) => account !== undefined);

    expect(publishingServices).toEqual(['cloudwatch.amazonaws.com']);
    expect(s3ToTopics).toEqual([]);
    expect(keyServices).toEqual(publishingServices);
    expect(keyAccounts).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }]);
    const cloudWatch = statements.find((s) => asList((s.Principal as { Service?: unknown }).Service).includes('cloudwatch.amazonaws.com'));
    expect(actionsOf(cloudWatch as Statement).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(cloudWatch?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:messaging-workers-prod-*' } },
    });
  });

  it('gives every role that publishes to an encrypted topic kms:GenerateDataKey and kms:Decrypt on that topic key, and no other role the key', () => {
    const template = prod();
    const keyOfTopic = Object.fromEntries(ofType(template, 'AWS::SNS::Topic').map(([id, topic]) => [id, refOf(topic.Properties.KmsMasterKeyId)]));

    const grants = Object.fromEntries(
      ofType(template, 'AWS::IAM::Role').map(([roleId]) => {
        const statements = roleStatements(template, roleId);
        const publishesTo = statements.filter((s) => actionsOf(s).includes('sns:Publish')).flatMap((s) => asList(s.Resource).map(refOf));
        const keyActions = (keyId: string) =>
          statements
            .filter((s) => asList(s.Resource).some((r) => logicalIdOf(r) === keyId))
            .flatMap(actionsOf)
            .sort();
        return [roleId, { publishesTo, keys: [...new Set(publishesTo.map((topic) => keyOfTopic[topic]))].map((key) => [key, keyActions(key ?? '')]), anyKey: keyActions('TopicsKey') }];
      }),
    );

    const kms = [['TopicsKey', ['kms:Decrypt', 'kms:GenerateDataKey']]];
    expect(grants).toEqual({
      S3CopierRole: { publishesTo: ['NotificationsTopic'], keys: kms, anyKey: kms[0]?.[1] },
      Ec2SchedulerRole: { publishesTo: ['NotificationsTopic'], keys: kms, anyKey: kms[0]?.[1] },
      SqsConsumerRole: { publishesTo: ['NotificationsTopic'], keys: kms, anyKey: kms[0]?.[1] },
      SnsNotifierRole: { publishesTo: [], keys: [], anyKey: [] },
      VolumeRetirementRole: { publishesTo: ['NotificationsTopic'], keys: kms, anyKey: kms[0]?.[1] },
      VolumeRetirementStateMachineRole: { publishesTo: [], keys: [], anyKey: [] },
      RetireVolumesScheduleToStepFunctionsRole: { publishesTo: [], keys: [], anyKey: [] },
    });
  });
});

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

  /** Resource type -> the policy type that covers it, the property naming what it covers, how the deny names it. */
  const POLICY_OF: Record<string, { policy: string; targets: string }> = {
    'AWS::S3::Bucket': { policy: 'AWS::S3::BucketPolicy', targets: 'Bucket' },
    'AWS::SQS::Queue': { policy: 'AWS::SQS::QueuePolicy', targets: 'Queues' },
    'AWS::SNS::Topic': { policy: 'AWS::SNS::TopicPolicy', targets: 'Topics' },
  };
  const DENIED_ACTIONS: Record<string, string[]> = {
    'AWS::S3::Bucket': ['s3:*'],
    'AWS::SQS::Queue': ['sqs:*'],
    'AWS::SNS::Topic': ['sns:Publish', 'sns:Subscribe'],
  };

  it.each(['dev', 'prod'])('give every bucket, queue and topic exactly one policy, and it denies access without TLS (%s)', (stage) => {
    const template = packagedTemplate(stage);
    const isInsecureTransportDeny = (s: Statement) =>
      s.Effect === 'Deny' && s.Principal === '*' && String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false';

    const coverage = Object.entries(template.Resources)
      .filter(([, r]) => POLICY_OF[r.Type])
      .map(([id, r]) => {
        const { policy, targets } = POLICY_OF[r.Type] as { policy: string; targets: string };
        const policies = ofType(template, policy).filter(([, p]) => asList(p.Properties[targets]).some((target) => refOf(target) === id));
        const denies = policies
          .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
          .filter(isInsecureTransportDeny)
          .map((s) => ({ actions: actionsOf(s), coversResource: JSON.stringify(s.Resource).includes(id) || JSON.stringify(s.Resource).includes(String(r.Properties.BucketName ?? '\0')) }));
        return [id, { policies: policies.length, denies }];
      });

    expect(coverage.length).toBe(12);
    for (const [id, { policies, denies }] of coverage as [string, { policies: number; denies: { actions: string[]; coversResource: boolean }[] }][]) {
      const type = template.Resources[id]?.Type ?? '';
      expect([id, policies, denies]).toEqual([id, 1, [{ actions: DENIED_ACTIONS[type], coversResource: true }]]);
    }
  });

  it('let CloudWatch alarms of this account and stack, and nothing else by resource policy, publish to the alarms topic', () => {
    const template = prod();

    const allows = ofType(template, 'AWS::SNS::TopicPolicy').flatMap(([id, policy]) =>
      (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.filter((s) => s.Effect === 'Allow').map((s) => ({ id, principal: s.Principal, actions: actionsOf(s), condition: s.Condition })),
    );

    expect(allows).toEqual([
      {
        id: 'AlarmsTopicPolicy',
        principal: { Service: 'cloudwatch.amazonaws.com' },
        actions: ['sns:Publish'],
        condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:messaging-workers-prod-*' } },
        },
      },
    ]);
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

  it('keep the framework policy on the deployment bucket that denies access without TLS', () => {
    const policy = prod().Resources.ServerlessDeploymentBucketPolicy;

    expect(refOf(policy?.Properties.Bucket)).toBe('ServerlessDeploymentBucket');
    expect((policy?.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': false } } }),
    ]);
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
  const policies = (template: Template) =>
    Object.fromEntries(
      Object.entries(template.Resources)
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

  it('retains what holds data on prod, and nothing else', () => {
    expect(policies(prod())).toEqual(Object.fromEntries(HOLDS_DATA.map((id) => [id, ['Retain', 'Retain']])));
  });

  it('deletes everything with the stack on dev (sls remove --stage dev cleans up)', () => {
    expect(policies(dev())).toEqual(Object.fromEntries(HOLDS_DATA.map((id) => [id, ['Delete', 'Delete']])));
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
      errors: functions.map((f) => [[f, 'Sum', 0, 'GreaterThanThreshold']]),
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

    expect(actions.length).toBe(19);
    for (const [id, alarmActions, okActions] of actions) expect([id, alarmActions, okActions]).toEqual([id, [{ Ref: 'AlarmsTopic' }], [{ Ref: 'AlarmsTopic' }]]);
  });
});
