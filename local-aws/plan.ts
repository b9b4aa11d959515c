import { type CfnResources, type LocalAccount, resolveIntrinsics } from './intrinsics';
import type { LocalStateMachine } from './step-functions';

/**
 * What the local AWS must create and wire, read from the packaged CloudFormation template: the
 * same declarations `sls deploy` sends to CloudFormation.
 */
export interface LocalPlan {
  queues: { logicalId: string; name: string; attributes: Record<string, string> }[];
  topics: { logicalId: string; name: string; attributes: Record<string, string> }[];
  /** SNS -> SQS subscriptions (delivered by the emulator itself). */
  queueSubscriptions: { topicArn: string; queueArn: string; attributes: Record<string, string> }[];
  buckets: { logicalId: string; name: string }[];
  /** S3 ObjectCreated notifications that invoke a function. */
  bucketNotifications: { bucket: string; functionName: string; functionArn: string; events: string[]; prefix?: string; suffix?: string }[];
  /** SNS -> Lambda subscriptions. */
  functionSubscriptions: { topicArn: string; functionName: string; attributes: Record<string, string> }[];
  /** SQS -> Lambda event source mappings. */
  eventSourceMappings: {
    queueArn: string;
    functionName: string;
    batchSize: number;
    maximumBatchingWindowInSeconds: number;
    maximumConcurrency: number;
    reportBatchItemFailures: boolean;
    enabled: boolean;
  }[];
  /** Function name -> the names of its aliases (`live`). */
  aliases: Record<string, string[]>;
  /** Function name -> timeout in seconds. */
  functionTimeouts: Record<string, number>;
  /**
   * Function name, qualified as its invocations are (`<name>:live`, or the bare name for
   * $LATEST) -> ARN of the queue its failed asynchronous events go to.
   */
  onFailureDestinations: Record<string, string>;
  /** Step Functions state machines, with the definition CloudFormation would create (intrinsics resolved). */
  stateMachines: LocalStateMachine[];
}

/** CloudFormation queue properties -> SQS API attributes (strings; policies as JSON). */
const QUEUE_ATTRIBUTES: Record<string, string> = {
  VisibilityTimeout: 'VisibilityTimeout',
  MessageRetentionPeriod: 'MessageRetentionPeriod',
  ReceiveMessageWaitTimeSeconds: 'ReceiveMessageWaitTimeSeconds',
  DelaySeconds: 'DelaySeconds',
  MaximumMessageSize: 'MaximumMessageSize',
  FifoQueue: 'FifoQueue',
  ContentBasedDeduplication: 'ContentBasedDeduplication',
  DeduplicationScope: 'DeduplicationScope',
  FifoThroughputLimit: 'FifoThroughputLimit',
  RedrivePolicy: 'RedrivePolicy',
  RedriveAllowPolicy: 'RedriveAllowPolicy',
  SqsManagedSseEnabled: 'SqsManagedSseEnabled',
};
const SUBSCRIPTION_ATTRIBUTES = ['RawMessageDelivery', 'FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy'];

function asAttribute(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function pickAttributes(properties: Record<string, unknown>, names: Record<string, string> | string[]): Record<string, string> {
  const mapping = Array.isArray(names) ? Object.fromEntries(names.map((name) => [name, name])) : names;
  const attributes: Record<string, string> = {};
  for (const [property, attribute] of Object.entries(mapping)) {
    if (properties[property] !== undefined) attributes[attribute] = asAttribute(properties[property]);
  }
  return attributes;
}

const HANDLED_TYPES = new Set([
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  'AWS::S3::Bucket',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Function',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::Alias',
  'AWS::StepFunctions::StateMachine',
]);

/**
 * Properties that only AWS acts on and that name resources the local AWS does not emulate: a
 * topic's customer-managed KMS key (AWS::KMS::Key has no local counterpart, and the emulator keeps
 * messages in memory anyway). Dropped before resolving, so the topic is still created locally.
 */
const AWS_ONLY_PROPERTIES: Record<string, string[]> = { 'AWS::SNS::Topic': ['KmsMasterKeyId'] };

function withoutAwsOnlyProperties(type: string, properties: Record<string, unknown>): Record<string, unknown> {
  const awsOnly = AWS_ONLY_PROPERTIES[type] ?? [];
  return Object.fromEntries(Object.entries(properties).filter(([name]) => !awsOnly.includes(name)));
}

const LOCAL_PROTOCOLS = new Set(['sqs', 'lambda']);

/**
 * The function a trigger invokes, as the trigger names it: `<name>` ($LATEST) or `<name>:<alias or
 * version>` from a function or alias ARN. The local AWS invokes exactly that.
 */
const functionNameFromArn = (arn: string): string => arn.split(':function:')[1] ?? arn;

/** `<name>` of `<name>` or `<name>:<qualifier>`. */
export const unqualified = (functionName: string): string => functionName.split(':')[0] ?? functionName;

/** How the local AWS invokes a function by hand (the console): through its alias if it has one, as its triggers do. */
export const invocationName = (plan: Pick<LocalPlan, 'aliases'>, functionName: string): string => {
  const [alias] = plan.aliases[functionName] ?? [];
  return alias === undefined ? functionName : `${functionName}:${alias}`;
};

/** The timeout of the function a (possibly qualified) name invokes. */
export const timeoutOf = (plan: Pick<LocalPlan, 'functionTimeouts'>, functionName: string): number => plan.functionTimeouts[unqualified(functionName)] ?? 30;

export function planFromTemplate(template: { Resources?: CfnResources }, account: LocalAccount): LocalPlan {
  const resources = template.Resources ?? {};
  const plan: LocalPlan = {
    queues: [],
    topics: [],
    queueSubscriptions: [],
    buckets: [],
    bucketNotifications: [],
    functionSubscriptions: [],
    eventSourceMappings: [],
    functionTimeouts: {},
    onFailureDestinations: {},
    aliases: {},
    stateMachines: [],
  };
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!HANDLED_TYPES.has(resource.Type) || logicalId === 'ServerlessDeploymentBucket') continue;
    // E-mail, SMS and HTTP subscriptions reach people and the internet: nothing to deliver locally.
    if (resource.Type === 'AWS::SNS::Subscription' && !LOCAL_PROTOCOLS.has(String(resource.Properties?.Protocol))) continue;
    const properties = (
      resource.Type === 'AWS::Lambda::Function'
        ? resource.Properties // only its literal name and timeout are read
        : resolveIntrinsics(withoutAwsOnlyProperties(resource.Type, resource.Properties ?? {}), resources, account)
    ) as Record<string, unknown>;
    switch (resource.Type) {
      case 'AWS::SQS::Queue':
        plan.queues.push({ logicalId, name: String(properties.QueueName), attributes: pickAttributes(properties, QUEUE_ATTRIBUTES) });
        break;
      case 'AWS::SNS::Topic':
        plan.topics.push({
          logicalId,
          name: String(properties.TopicName),
          attributes: pickAttributes(properties, ['FifoTopic', 'ContentBasedDeduplication', 'DisplayName']),
        });
        break;
      case 'AWS::SNS::Subscription': {
        const attributes = pickAttributes(properties, SUBSCRIPTION_ATTRIBUTES);
        if (properties.Protocol === 'sqs') {
          plan.queueSubscriptions.push({ topicArn: String(properties.TopicArn), queueArn: String(properties.Endpoint), attributes });
        } else if (properties.Protocol === 'lambda') {
          plan.functionSubscriptions.push({
            topicArn: String(properties.TopicArn),
            functionName: functionNameFromArn(String(properties.Endpoint)),
            attributes,
          });
        }
        break;
      }
      case 'AWS::S3::Bucket': {
        const name = String(properties.BucketName);
        plan.buckets.push({ logicalId, name });
        const notification = properties.NotificationConfiguration as
          | { LambdaConfigurations?: { Event: string; Function: string; Filter?: { S3Key?: { Rules?: { Name: string; Value: string }[] } } }[] }
          | undefined;
        for (const configuration of notification?.LambdaConfigurations ?? []) {
          const rules = configuration.Filter?.S3Key?.Rules ?? [];
          plan.bucketNotifications.push({
            bucket: name,
            functionName: functionNameFromArn(configuration.Function),
            functionArn: configuration.Function,
            events: [configuration.Event],
            prefix: rules.find((rule) => rule.Name.toLowerCase() === 'prefix')?.Value,
            suffix: rules.find((rule) => rule.Name.toLowerCase() === 'suffix')?.Value,
          });
        }
        break;
      }
      case 'AWS::Lambda::EventSourceMapping': {
        const source = String(properties.EventSourceArn);
        if (!source.startsWith('arn:aws:sqs:')) break;
        const scaling = properties.ScalingConfig as { MaximumConcurrency?: number } | undefined;
        plan.eventSourceMappings.push({
          queueArn: source,
          functionName: functionNameFromArn(String(properties.FunctionName)),
          batchSize: Number(properties.BatchSize ?? 10),
          maximumBatchingWindowInSeconds: Number(properties.MaximumBatchingWindowInSeconds ?? 0),
          maximumConcurrency: Number(scaling?.MaximumConcurrency ?? 5),
          reportBatchItemFailures: ((properties.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
          enabled: properties.Enabled !== false,
        });
        break;
      }
      case 'AWS::Lambda::EventInvokeConfig': {
        const destination = (properties.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure?.Destination;
        const qualifier = properties.Qualifier === undefined || properties.Qualifier === '$LATEST' ? '' : `:${String(properties.Qualifier)}`;
        if (destination?.startsWith('arn:aws:sqs:')) plan.onFailureDestinations[`${String(properties.FunctionName)}${qualifier}`] = destination;
        break;
      }
      case 'AWS::Lambda::Alias': {
        const functionName = String(properties.FunctionName);
        (plan.aliases[functionName] ??= []).push(String(properties.Name));
        break;
      }
      case 'AWS::StepFunctions::StateMachine': {
        const name = String(properties.StateMachineName);
        plan.stateMachines.push({
          logicalId,
          name,
          arn: `arn:aws:states:${account.region}:${account.accountId}:stateMachine:${name}`,
          roleArn: String(properties.RoleArn ?? ''),
          definition: String(properties.DefinitionString),
        });
        break;
      }
      case 'AWS::Lambda::Function':
        plan.functionTimeouts[String(properties.FunctionName)] = Number(properties.Timeout ?? 6);
        break;
      default:
        break;
    }
  }
  return plan;
}
