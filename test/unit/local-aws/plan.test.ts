import { invocationName, planFromTemplate, timeoutOf } from '../../../local-aws/plan';

const account = { region: 'us-east-1', accountId: '000000000000', sqsEndpoint: 'http://127.0.0.1:1' };

describe('planFromTemplate', () => {
  it('still creates a topic encrypted with a KMS key of the stack, without the key (not emulated)', () => {
    const plan = planFromTemplate(
      {
        Resources: {
          TopicsKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
          AlarmsTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alarms', KmsMasterKeyId: { Ref: 'TopicsKey' }, DisplayName: 'Alarms' } },
        },
      },
      account,
    );

    expect(plan.topics).toEqual([{ logicalId: 'AlarmsTopic', name: 'alarms', attributes: { DisplayName: 'Alarms' } }]);
  });
});

describe('planFromTemplate, triggers on an alias', () => {
  const fn = { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'svc-worker', Timeout: 12 } };
  const alias = { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'WorkerLambdaFunction' }, FunctionVersion: '3', Name: 'live' } };
  const resources = {
    WorkerLambdaFunction: fn,
    WorkerLambdaFunctionAliaslive: alias,
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'work' } },
    Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'notes' } },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, FunctionName: { Ref: 'WorkerLambdaFunctionAliaslive' } },
    },
    Subscription: { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: { Ref: 'Topic' }, Protocol: 'lambda', Endpoint: { Ref: 'WorkerLambdaFunctionAliaslive' } } },
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: 'src', NotificationConfiguration: { LambdaConfigurations: [{ Event: 's3:ObjectCreated:*', Function: { Ref: 'WorkerLambdaFunctionAliaslive' } }] } },
    },
    Failures: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'failures' } },
    InvokeConfig: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: { FunctionName: { Ref: 'WorkerLambdaFunction' }, Qualifier: 'live', DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Failures', 'Arn'] } } } },
    },
  };

  it('invokes `<function>:<alias>` from every trigger that names the alias, with its destination, timeout and alias known', () => {
    const plan = planFromTemplate({ Resources: resources }, account);

    expect({
      mapping: plan.eventSourceMappings.map((m) => m.functionName),
      subscription: plan.functionSubscriptions.map((s) => s.functionName),
      notification: plan.bucketNotifications.map((n) => n.functionName),
      destinations: plan.onFailureDestinations,
      aliases: plan.aliases,
      timeouts: plan.functionTimeouts,
    }).toEqual({
      mapping: ['svc-worker:live'],
      subscription: ['svc-worker:live'],
      notification: ['svc-worker:live'],
      destinations: { 'svc-worker:live': 'arn:aws:sqs:us-east-1:000000000000:failures' },
      aliases: { 'svc-worker': ['live'] },
      timeouts: { 'svc-worker': 12 },
    });
    expect([timeoutOf(plan, 'svc-worker:live'), invocationName(plan, 'svc-worker'), invocationName(plan, 'other')]).toEqual([12, 'svc-worker:live', 'other']);
  });

  it('keeps a trigger on $LATEST unqualified', () => {
    const plan = planFromTemplate(
      { Resources: { ...resources, Mapping: { ...resources.Mapping, Properties: { ...resources.Mapping.Properties, FunctionName: { 'Fn::GetAtt': ['WorkerLambdaFunction', 'Arn'] } } } } },
      account,
    );

    expect(plan.eventSourceMappings.map((m) => m.functionName)).toEqual(['svc-worker']);
  });
});
