import { type CfnResources, type LocalAccount, resolveIntrinsics, UnresolvableIntrinsicError } from '../../../local-aws/intrinsics';
import { thrownBy } from '../support/errors';

const account: LocalAccount = { region: 'us-east-1', accountId: '000000000000', sqsEndpoint: 'http://127.0.0.1:4566' };
const resources: CfnResources = {
  WorkQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'messaging-workers-local-work' } },
  NotificationsTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'messaging-workers-local-notifications' } },
  DestinationBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'messaging-workers-local-destination-local' } },
  SqsConsumerLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'messaging-workers-local-sqsConsumer' } },
  TopicsKey: { Type: 'AWS::KMS::Key', Properties: {} },
};
const resolve = (value: unknown) => resolveIntrinsics(value, resources, account);

describe('resolveIntrinsics with Ref', () => {
  it('gives the URL of a queue', () => {
    const value = resolve({ Ref: 'WorkQueue' });

    expect(value).toBe('http://127.0.0.1:4566/000000000000/messaging-workers-local-work');
  });

  it('gives the ARN of a topic', () => {
    const value = resolve({ Ref: 'NotificationsTopic' });

    expect(value).toBe('arn:aws:sns:us-east-1:000000000000:messaging-workers-local-notifications');
  });

  it('gives the value of a template parameter', () => {
    const value = resolveIntrinsics({ Ref: 'CopyKmsKeyArn' }, resources, { ...account, parameters: { CopyKmsKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/k' } });

    expect(value).toBe('arn:aws:kms:us-east-1:000000000000:key/k');
  });

  it('gives a KMS key the same UUID-shaped id in its Ref and its ARN', () => {
    const [id, arn] = resolve([{ Ref: 'TopicsKey' }, { 'Fn::GetAtt': ['TopicsKey', 'Arn'] }]) as [string, string];

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(arn).toBe(`arn:aws:kms:us-east-1:000000000000:key/${id}`);
  });

  it('gives the name of a bucket', () => {
    const value = resolve({ Ref: 'DestinationBucket' });

    expect(value).toBe('messaging-workers-local-destination-local');
  });

  it('gives the value of a pseudo parameter', () => {
    const value = resolve({ Ref: 'AWS::Region' });

    expect(value).toBe('us-east-1');
  });
});

describe('resolveIntrinsics with Fn::GetAtt', () => {
  it('gives the ARN of a queue in the list form', () => {
    const value = resolve({ 'Fn::GetAtt': ['WorkQueue', 'Arn'] });

    expect(value).toBe('arn:aws:sqs:us-east-1:000000000000:messaging-workers-local-work');
  });

  it('gives the ARN of a function in the dotted form', () => {
    const value = resolve({ 'Fn::GetAtt': 'SqsConsumerLambdaFunction.Arn' });

    expect(value).toBe('arn:aws:lambda:us-east-1:000000000000:function:messaging-workers-local-sqsConsumer');
  });

  it('gives the name of a queue', () => {
    const value = resolve({ 'Fn::GetAtt': ['WorkQueue', 'QueueName'] });

    expect(value).toBe('messaging-workers-local-work');
  });
});

describe('resolveIntrinsics with Fn::Sub', () => {
  it('substitutes pseudo parameters', () => {
    const value = resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:dlq' });

    expect(value).toBe('arn:aws:sqs:us-east-1:000000000000:dlq');
  });

  it('substitutes resources and their attributes', () => {
    const value = resolve({ 'Fn::Sub': '${NotificationsTopic} -> ${WorkQueue.Arn}' });

    expect(value).toBe(
      'arn:aws:sns:us-east-1:000000000000:messaging-workers-local-notifications -> arn:aws:sqs:us-east-1:000000000000:messaging-workers-local-work',
    );
  });

  it('substitutes the variables of its map, themselves resolved', () => {
    const value = resolve({ 'Fn::Sub': ['${Queue}/in/${AWS::Region}', { Queue: { 'Fn::GetAtt': ['WorkQueue', 'QueueName'] } }] });

    expect(value).toBe('messaging-workers-local-work/in/us-east-1');
  });

  // CloudFormation writes the escape `${!Literal}` as `${Literal}`.
  it('writes an escaped ${!Literal} without the exclamation mark', () => {
    const value = resolve({ 'Fn::Sub': 'echo ${!HOME}' });

    expect(value).toBe('echo ${HOME}');
  });
});

describe('resolveIntrinsics with Fn::Join', () => {
  it('joins resolved items with the delimiter', () => {
    const value = resolve({ 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 's3', '', '', { Ref: 'DestinationBucket' }]] });

    expect(value).toBe('arn:aws:s3:::messaging-workers-local-destination-local');
  });
});

describe('resolveIntrinsics through a document', () => {
  it('resolves intrinsics nested in objects and lists and keeps literals', () => {
    const document = {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['WorkQueue', 'Arn'] }, maxReceiveCount: 3 },
      Endpoints: [{ Ref: 'NotificationsTopic' }, 'literal', null],
    };

    const value = resolve(document);

    expect(value).toEqual({
      RedrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:messaging-workers-local-work', maxReceiveCount: 3 },
      Endpoints: ['arn:aws:sns:us-east-1:000000000000:messaging-workers-local-notifications', 'literal', null],
    });
  });
});

describe('resolveIntrinsics refuses', () => {
  it('a Ref to a resource that does not exist', () => {
    const error = thrownBy(() => resolve({ Ref: 'MissingQueue' }));

    expect(error).toBeInstanceOf(UnresolvableIntrinsicError);
  });

  it('a GetAtt of a resource that does not exist', () => {
    const error = thrownBy(() => resolve({ 'Fn::GetAtt': ['MissingQueue', 'Arn'] }));

    expect(error).toBeInstanceOf(UnresolvableIntrinsicError);
  });

  it('a Sub naming a resource that does not exist', () => {
    const error = thrownBy(() => resolve({ 'Fn::Sub': 'arn:${MissingTopic}' }));

    expect(error).toBeInstanceOf(UnresolvableIntrinsicError);
  });

  it('an attribute it cannot give', () => {
    const error = thrownBy(() => resolve({ 'Fn::GetAtt': ['DestinationBucket', 'RegionalDomainName'] }));

    expect(error).toBeInstanceOf(UnresolvableIntrinsicError);
  });

  it('an intrinsic function it does not support, naming it', () => {
    const error = thrownBy(() => resolve({ 'Fn::ImportValue': 'shared-vpc-id' }));

    expect((error as Error).message).toBe('Fn::ImportValue is not supported locally');
  });
});

describe('resolveIntrinsics with Fn::Sub names that are not resources', () => {
  it('does not take a name inherited from Object.prototype for a variable', () => {
    const error = thrownBy(() => resolve({ 'Fn::Sub': 'x-${constructor}' }));

    expect(error).toBeInstanceOf(UnresolvableIntrinsicError);
  });
});

describe('resolveIntrinsics with the release and workflow resources', () => {
  const released: CfnResources = {
    ...resources,
    SqsConsumerLambdaVersionAbc: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'SqsConsumerLambdaFunction' } } },
    SqsConsumerLambdaFunctionAliaslive: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'SqsConsumerLambdaFunction' }, Name: 'live' } },
    RetireVolumesStateMachine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'messaging-workers-local-retire-volumes' } },
    DeploymentApplication: { Type: 'AWS::CodeDeploy::Application', Properties: { ComputePlatform: 'Lambda' } },
    SqsConsumerDeploymentGroup: { Type: 'AWS::CodeDeploy::DeploymentGroup', Properties: { ApplicationName: { Ref: 'DeploymentApplication' }, DeploymentGroupName: 'messaging-workers-local-sqsConsumer' } },
    NewVersionErrorsAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'messaging-workers-local-sqsConsumer-new-version-errors' } },
  };
  const resolveReleased = (value: unknown) => resolveIntrinsics(value, released, account);
  const fn = 'arn:aws:lambda:us-east-1:000000000000:function:messaging-workers-local-sqsConsumer';

  it("gives a version's qualified ARN as its Ref and its number as its Version", () => {
    const value = resolveReleased([{ Ref: 'SqsConsumerLambdaVersionAbc' }, { 'Fn::GetAtt': ['SqsConsumerLambdaVersionAbc', 'Version'] }]);

    expect(value).toEqual([`${fn}:1`, '1']);
  });

  it("gives an alias's ARN, qualified by its name, as its Ref", () => {
    const value = resolveReleased({ Ref: 'SqsConsumerLambdaFunctionAliaslive' });

    expect(value).toBe(`${fn}:live`);
  });

  it("gives a state machine's ARN as its Ref and its Arn, and its name as its Name", () => {
    const value = resolveReleased([{ Ref: 'RetireVolumesStateMachine' }, { 'Fn::GetAtt': ['RetireVolumesStateMachine', 'Arn'] }, { 'Fn::GetAtt': ['RetireVolumesStateMachine', 'Name'] }]);

    const arn = 'arn:aws:states:us-east-1:000000000000:stateMachine:messaging-workers-local-retire-volumes';
    expect(value).toEqual([arn, arn, 'messaging-workers-local-retire-volumes']);
  });

  it('gives CodeDeploy names (a generated one for an unnamed application) and an alarm its name', () => {
    const value = resolveReleased([{ Ref: 'DeploymentApplication' }, { Ref: 'SqsConsumerDeploymentGroup' }, { Ref: 'NewVersionErrorsAlarm' }]);

    expect(value).toEqual(['DeploymentApplication', 'messaging-workers-local-sqsConsumer', 'messaging-workers-local-sqsConsumer-new-version-errors']);
  });
});
