import { DescribeInstancesCommand, type DescribeInstancesCommandOutput, DescribeVolumesCommand, type DescribeVolumesCommandOutput } from '@aws-sdk/client-ec2';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, type ListSubscriptionsByTopicCommandOutput, PublishCommand } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityBatchCommand } from '@aws-sdk/client-sqs';
import type { Readable } from 'node:stream';
import { sqs } from '../../cli/queue/client';
import { deleteMessage } from '../../cli/queue/delete';
import { checkMessage, parseInteger, parseAttribute } from '../../cli/queue/message';
import { purge } from '../../cli/queue/purge';
import { receive, type ReceivedMessage } from '../../cli/queue/receive';
import { redrive, redriveTarget } from '../../cli/queue/redrive';
import { isFifo, type Queue } from '../../cli/queue/resolve-queue';
import { sendOne } from '../../cli/queue/send';
import { queueStats } from '../../cli/queue/stats';
import type { LocalClients } from '../clients';
import type { LocalAwsConfig } from '../config';
import { invokeFunction } from '../invoke';
import type { InvocationLog } from '../invocation-log';
import { type LocalPlan, invocationName, timeoutOf } from '../plan';
import { deliveryQueueName } from '../sns-function-subscriptions';
import type { ProvisionedResources } from '../provision';
import type { Template } from '../template';
import { parseNotificationDraft, publishDomainNotification } from './adapters/publish-notification';
import { changeInstanceState } from './adapters/scheduling';

/** A request the console cannot carry out as given (HTTP 400), or about something that does not exist (404). */
export class ConsoleRequestError extends Error {
  override readonly name = 'ConsoleRequestError';
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}

import type { LocalStepFunctions } from '../step-functions';

export interface ConsoleContext {
  config: LocalAwsConfig;
  plan: LocalPlan;
  resources: ProvisionedResources;
  template: Template;
  clients: LocalClients;
  invocations: InvocationLog;
  /** The local state machines and their executions (absent: none to show). */
  stepFunctions?: LocalStepFunctions;
}

const PAGE_MAX = 50;
const UPLOAD_MAX_BYTES = 100 * 1024 * 1024;

const str = (value: unknown, field: string, { optional = false } = {}): string | undefined => {
  if (value === undefined || value === null || value === '') {
    if (optional) return undefined;
    throw new ConsoleRequestError(`${field} is required`);
  }
  if (typeof value !== 'string') throw new ConsoleRequestError(`${field} must be a string`);
  return value;
};

const int = (value: unknown, field: string, min: number, max: number, fallback?: number): number | undefined => {
  if (value === undefined || value === null || value === '') return fallback;
  return parseInteger(field, typeof value === 'number' ? value : String(value), min, max);
};

/** `[{ name, value }]` from a form -> String attributes, checked as the CLI checks `--attribute`. */
function attributesOf(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!Array.isArray(value)) throw new ConsoleRequestError('attributes must be a list of { name, value }');
  const attributes: Record<string, string> = {};
  for (const item of value as { name?: unknown; value?: unknown }[]) {
    const [name, text] = parseAttribute(`${String(item?.name ?? '')}=${String(item?.value ?? '')}`);
    if (name in attributes) throw new ConsoleRequestError(`attribute ${name} is given twice`);
    attributes[name] = text;
  }
  if (Object.keys(attributes).length > 10) throw new ConsoleRequestError('a message carries at most 10 attributes');
  return attributes;
}

/**
 * What the local console does, on the local AWS's own resources. Queue operations are the queue
 * CLI's (cli/queue), notifications and scheduling the domain's (through ./adapters), functions
 * are invoked through the Lambda API the triggers use; the rest are single AWS API calls.
 */
export class ConsoleOperations {
  constructor(private readonly context: ConsoleContext) {}

  private get stage(): string {
    return this.context.config.stage;
  }

  queue(name: string): Queue {
    const url = this.context.resources.queueUrls[name];
    if (!url) throw new ConsoleRequestError(`no queue ${name} on stage ${this.stage}`, 404);
    return { name, url };
  }

  private bucket(name: string): string {
    if (!this.context.resources.buckets.includes(name)) throw new ConsoleRequestError(`no bucket ${name} on stage ${this.stage}`, 404);
    return name;
  }

  private topicArn(arn: string): string {
    if (!Object.values(this.context.resources.topicArns).includes(arn)) throw new ConsoleRequestError(`no topic ${arn} on stage ${this.stage}`, 404);
    return arn;
  }

  overview() {
    const { config, plan, resources } = this.context;
    return {
      stage: config.stage,
      endpoint: config.endpoint,
      ec2Endpoint: config.ec2Endpoint,
      lambdaEndpoint: config.lambdaEndpoint,
      queues: Object.keys(resources.queueUrls),
      topics: Object.values(resources.topicArns),
      buckets: resources.buckets,
      functions: Object.keys(plan.functionTimeouts),
      triggers: [
        ...plan.eventSourceMappings.map((m) => ({ functionName: m.functionName, source: m.queueArn, kind: 'sqs' })),
        ...plan.bucketNotifications.map((n) => ({ functionName: n.functionName, source: `s3://${n.bucket}`, kind: 's3' })),
        ...plan.functionSubscriptions.map((s) => ({ functionName: s.functionName, source: s.topicArn, kind: 'sns' })),
      ],
    };
  }

  // --- Queues -------------------------------------------------------------------------------

  /** Every queue with its counts (GetQueueAttributes) and its DLQ's, as `npm run queue -- stats`. */
  async queues() {
    return Promise.all(
      Object.keys(this.context.resources.queueUrls).map(async (name) => {
        const stats = await queueStats(this.queue(name), this.stage);
        return { ...stats.queue, fifo: isFifo(name), dlq: stats.dlq };
      }),
    );
  }

  async send(name: string, body: Record<string, unknown>): Promise<{ messageId: string }> {
    const queue = this.queue(name);
    const message = {
      body: str(body.body, 'body') ?? '',
      groupId: str(body.groupId, 'groupId', { optional: true }),
      dedupId: str(body.dedupId, 'dedupId', { optional: true }),
      attributes: attributesOf(body.attributes),
      delay: int(body.delay, 'delay', 0, 900),
    };
    checkMessage(queue.name, message);
    return { messageId: await sendOne(queue, message) };
  }

  /**
   * Up to `max` (<= 50) messages, received in tens with `visibilitySeconds`: a peek keeps the shown
   * messages hidden for a few seconds so the next page shows the following ones (SQS has no
   * offset), a receive uses the visibility timeout the user chose.
   */
  async receive(name: string, body: Record<string, unknown>): Promise<{ messages: ReceivedMessage[] }> {
    const queue = this.queue(name);
    const max = int(body.max, 'max', 1, PAGE_MAX, 10) ?? 10;
    const visibilitySeconds = int(body.visibilitySeconds, 'visibilitySeconds', 0, 43_200);
    const waitSeconds = int(body.waitSeconds, 'waitSeconds', 0, 20, 0) ?? 0;
    const messages: ReceivedMessage[] = [];
    const seen = new Set<string>();
    while (messages.length < max) {
      const batch = await receive(queue, { waitSeconds: messages.length === 0 ? waitSeconds : 0, max: Math.min(10, max - messages.length), visibilitySeconds });
      // With a visibility timeout of 0 the same messages come straight back: a page ends there.
      const fresh = batch.filter((message) => !seen.has(message.messageId));
      if (fresh.length === 0) break;
      for (const message of fresh) seen.add(message.messageId);
      messages.push(...fresh);
    }
    return { messages };
  }

  /** Makes received messages visible again at once (the peek's "release"). */
  async release(name: string, body: Record<string, unknown>): Promise<{ released: number }> {
    const queue = this.queue(name);
    const handles = Array.isArray(body.receiptHandles) ? body.receiptHandles.filter((h): h is string => typeof h === 'string' && h !== '') : [];
    let released = 0;
    for (let start = 0; start < handles.length; start += 10) {
      const chunk = handles.slice(start, start + 10);
      const output = await sqs().send(
        new ChangeMessageVisibilityBatchCommand({ QueueUrl: queue.url, Entries: chunk.map((handle, index) => ({ Id: String(index), ReceiptHandle: handle, VisibilityTimeout: 0 })) }),
      );
      released += output.Successful?.length ?? 0;
    }
    return { released };
  }

  async deleteMessage(name: string, body: Record<string, unknown>): Promise<{ deleted: true }> {
    await deleteMessage(this.queue(name), str(body.receiptHandle, 'receiptHandle') ?? '');
    return { deleted: true };
  }

  async purge(name: string, body: Record<string, unknown>): Promise<{ purged: string }> {
    if (body.confirm !== name) throw new ConsoleRequestError(`purge needs confirm: "${name}" (the queue's name)`);
    await purge(this.queue(name));
    return { purged: name };
  }

  async redrive(name: string): Promise<{ moved: number; to: string; method: string; failed: { ref: string; reason: string }[] }> {
    const dlq = this.queue(name);
    const target = await redriveTarget(dlq, this.stage);
    const result = await redrive(dlq, target, this.stage);
    return { moved: result.moved, to: target.name, method: result.method, failed: result.failed };
  }

  // --- Topics -------------------------------------------------------------------------------

  async topics() {
    const { sns } = this.context.clients;
    return Promise.all(
      Object.values(this.context.resources.topicArns).map(async (topicArn) => {
        const subscriptions = [];
        let NextToken: string | undefined;
        do {
          const page: ListSubscriptionsByTopicCommandOutput = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
          for (const subscription of page.Subscriptions ?? []) {
            const { Attributes = {} } = await sns
              .send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription.SubscriptionArn }))
              .catch(() => ({ Attributes: {} as Record<string, string> }));
            const endpoint = subscription.Endpoint ?? '';
            const delivery = this.context.plan.functionSubscriptions.find((s, index) => s.topicArn === topicArn && endpoint.endsWith(`:${deliveryQueueName(index, s.functionName)}`));
            subscriptions.push({
              subscriptionArn: subscription.SubscriptionArn ?? '',
              protocol: delivery ? 'lambda' : (subscription.Protocol ?? ''),
              endpoint: delivery ? delivery.functionName : endpoint,
              filterPolicy: Attributes.FilterPolicy ?? null,
              filterPolicyScope: Attributes.FilterPolicyScope ?? null,
              rawMessageDelivery: Attributes.RawMessageDelivery === 'true',
            });
          }
          NextToken = page.NextToken;
        } while (NextToken);
        return { topicArn, name: topicArn.split(':').pop() ?? topicArn, subscriptions };
      }),
    );
  }

  /** A message as the AWS console publishes it: subject, message (or one per protocol), attributes. */
  async publish(topicArn: string, body: Record<string, unknown>): Promise<{ messageId: string | undefined }> {
    const arn = this.topicArn(topicArn);
    const message = str(body.message, 'message') ?? '';
    const perProtocol = body.perProtocol === true;
    if (perProtocol) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        throw new ConsoleRequestError('with one payload per protocol, the message must be a JSON object');
      }
      if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { default?: unknown }).default !== 'string') {
        throw new ConsoleRequestError('with one payload per protocol, the message needs a "default" string (and may have "sqs", "lambda", "email", ...)');
      }
    }
    const attributes = attributesOf(body.attributes);
    const output = await this.context.clients.sns.send(
      new PublishCommand({
        TopicArn: arn,
        Subject: str(body.subject, 'subject', { optional: true }),
        Message: message,
        MessageStructure: perProtocol ? 'json' : undefined,
        MessageAttributes: Object.keys(attributes).length
          ? Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]))
          : undefined,
      }),
    );
    return { messageId: output.MessageId };
  }

  /** A notification as the workers publish one (the domain's publish helper): `{ notification: <draft> }`. */
  async publishNotification(topicArn: string, body: Record<string, unknown>): Promise<{ messageId: string | undefined }> {
    const parsed = parseNotificationDraft(body.notification);
    if (!parsed.ok) throw new ConsoleRequestError(parsed.reason);
    return publishDomainNotification(this.context.clients.sns, this.topicArn(topicArn), parsed.draft);
  }

  // --- Buckets ------------------------------------------------------------------------------

  async objects(bucket: string, query: URLSearchParams) {
    const output = await this.context.clients.s3.send(
      new ListObjectsV2Command({
        Bucket: this.bucket(bucket),
        MaxKeys: int(query.get('max') ?? undefined, 'max', 1, 1000, 100),
        ContinuationToken: query.get('token') || undefined,
        Prefix: query.get('prefix') || undefined,
      }),
    );
    return {
      bucket,
      objects: (output.Contents ?? []).map((o) => ({ key: o.Key ?? '', size: o.Size ?? 0, lastModified: o.LastModified?.toISOString() ?? null, eTag: (o.ETag ?? '').replace(/"/g, '') })),
      nextToken: output.NextContinuationToken ?? null,
      count: output.KeyCount ?? 0,
    };
  }

  async upload(bucket: string, key: string, body: Buffer, contentType: string | undefined): Promise<{ bucket: string; key: string }> {
    if (key === '') throw new ConsoleRequestError('key is required');
    if (body.length > UPLOAD_MAX_BYTES) throw new ConsoleRequestError(`uploads are limited to ${UPLOAD_MAX_BYTES} bytes here; use the AWS CLI for larger files`);
    // A form content type would make the emulator read the object as a form: stored as bytes instead.
    const type = contentType && !contentType.startsWith('application/x-www-form-urlencoded') ? contentType : undefined;
    await this.context.clients.s3.send(new PutObjectCommand({ Bucket: this.bucket(bucket), Key: key, Body: body, ContentType: type }));
    return { bucket, key };
  }

  async download(bucket: string, key: string): Promise<{ body: Readable; contentType: string; length?: number }> {
    const output = await this.context.clients.s3.send(new GetObjectCommand({ Bucket: this.bucket(bucket), Key: key }));
    return { body: output.Body as Readable, contentType: output.ContentType ?? 'application/octet-stream', length: output.ContentLength };
  }

  // --- Instances ----------------------------------------------------------------------------

  /** The tag whose value names an instance's schedule (the scheduler's SCHEDULE_TAG_KEY). */
  private get scheduleTagKey(): string {
    const scheduler = this.schedulerFunction();
    const resources = (this.context.template.Resources ?? {}) as Record<string, { Type?: string; Properties?: unknown }>;
    const resource = Object.values(resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && (r.Properties as { FunctionName?: unknown } | undefined)?.FunctionName === scheduler,
    );
    const variables = (resource?.Properties as { Environment?: { Variables?: Record<string, unknown> } } | undefined)?.Environment?.Variables ?? {};
    return String(variables.SCHEDULE_TAG_KEY ?? 'Schedule');
  }

  private schedulerFunction(): string {
    const name = Object.keys(this.context.plan.functionTimeouts).find((f) => f.endsWith('-ec2Scheduler'));
    if (!name) throw new ConsoleRequestError('the stage has no ec2Scheduler function', 404);
    return name;
  }

  async instances() {
    const { ec2 } = this.context.clients;
    const tagKey = this.scheduleTagKey;
    const instances = [];
    let NextToken: string | undefined;
    do {
      const page: DescribeInstancesCommandOutput = await ec2.send(new DescribeInstancesCommand({ NextToken }));
      for (const reservation of page.Reservations ?? []) {
        for (const instance of reservation.Instances ?? []) {
          const tags = Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
          instances.push({
            instanceId: instance.InstanceId ?? '',
            name: tags.Name ?? '',
            state: instance.State?.Name ?? 'unknown',
            schedule: tags[tagKey] ?? null,
            scheduled: tags[tagKey] !== undefined,
            type: instance.InstanceType ?? '',
            launchTime: instance.LaunchTime?.toISOString() ?? null,
          });
        }
      }
      NextToken = page.NextToken;
    } while (NextToken);
    const volumes = [];
    NextToken = undefined;
    do {
      const page: DescribeVolumesCommandOutput = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'status', Values: ['available'] }], NextToken }));
      for (const volume of page.Volumes ?? []) {
        volumes.push({ volumeId: volume.VolumeId ?? '', size: volume.Size ?? 0, type: volume.VolumeType ?? '', createTime: volume.CreateTime?.toISOString() ?? null });
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return { scheduleTagKey: tagKey, instances, unattachedVolumes: volumes };
  }

  async instanceAction(instanceId: string, body: Record<string, unknown>) {
    const action = body.action;
    if (action !== 'start' && action !== 'stop') throw new ConsoleRequestError('action must be "start" or "stop"');
    if (!/^i-[0-9a-f]+$/.test(instanceId)) throw new ConsoleRequestError(`${instanceId} is not an instance id`);
    return { changes: await changeInstanceState(this.context.clients.ec2, action, [instanceId]) };
  }

  /**
   * The scheduler now: invokes the ec2Scheduler function with `{"action": "reconcile", "dryRun"}`
   * through the Lambda API, as its rule does; a dry run uses EC2's own DryRun and changes nothing.
   */
  async runScheduler(body: Record<string, unknown>) {
    if (body.action !== 'reconcile') throw new ConsoleRequestError('action must be "reconcile"');
    if (body.dryRun !== undefined && typeof body.dryRun !== 'boolean') throw new ConsoleRequestError('dryRun must be true or false');
    const dryRun = body.dryRun === true;
    const functionName = this.schedulerFunction();
    // Through the function's alias, as its schedules invoke it.
    const outcome = await invokeFunction(this.context.clients.lambda, invocationName(this.context.plan, functionName), { action: 'reconcile', dryRun }, timeoutOf(this.context.plan, functionName), 'console');
    return { dryRun, functionName, ...outcome };
  }

  // --- Functions ----------------------------------------------------------------------------

  invocations(functionName?: string) {
    return { capacity: this.context.invocations.capacity, invocations: this.context.invocations.list(functionName) };
  }

  invocationEvent(id: number): string {
    const event = this.context.invocations.event(id);
    if (event === undefined) throw new ConsoleRequestError(`invocation ${id} is no longer kept`, 404);
    return event;
  }

  // --- Executions (Step Functions) ------------------------------------------------------------

  private get stepFunctions(): LocalStepFunctions {
    if (!this.context.stepFunctions) throw new ConsoleRequestError('this local AWS runs no state machines', 404);
    return this.context.stepFunctions;
  }

  /** The state machines and their executions, newest first, with each one's state. */
  executions() {
    const sfn = this.stepFunctions;
    return {
      stateMachines: sfn.stateMachines.map(({ name, arn }) => ({ name, arn })),
      executions: sfn.list().map(({ executionArn, stateMachineArn, name, status, startDate, stopDate, error }) => ({
        executionArn,
        stateMachine: stateMachineArn.split(':').pop(),
        name,
        status,
        startDate: new Date(startDate * 1000).toISOString(),
        stopDate: stopDate ? new Date(stopDate * 1000).toISOString() : null,
        error: error ?? null,
      })),
    };
  }

  /** One execution: input, output or error, and each step with its input and output (from the history). */
  execution(executionArn: string) {
    const sfn = this.stepFunctions;
    const execution = sfn.describeExecution({ executionArn });
    const { events } = sfn.getExecutionHistory({ executionArn });
    type Details = { name?: string; input?: string; output?: string; error?: string; cause?: string; index?: number };
    const details = (event: Record<string, unknown>) => Object.entries(event).find(([key]) => key.endsWith('EventDetails'))?.[1] as Details | undefined;
    const steps: { name: string; type: string; enteredAt: string; input: string; output?: string; error?: string; cause?: string }[] = [];
    const open = new Map<string, number[]>();
    for (const event of events) {
      const d = details(event) ?? {};
      const name = d.name ?? '';
      if (event.type.endsWith('StateEntered')) {
        steps.push({ name, type: event.type.replace(/StateEntered$/, ''), enteredAt: new Date(event.timestamp * 1000).toISOString(), input: d.input ?? '' });
        open.set(name, [...(open.get(name) ?? []), steps.length - 1]);
      } else if (event.type.endsWith('StateExited') || event.type === 'TaskFailed') {
        // Map iterations run side by side: the oldest open step of that name is the one that ended.
        const index = open.get(name)?.shift();
        const step = index === undefined ? undefined : steps[index];
        if (step && event.type === 'TaskFailed') Object.assign(step, { error: d.error, cause: d.cause });
        else if (step) step.output = d.output;
      }
    }
    return { ...execution, startDate: new Date(execution.startDate * 1000).toISOString(), stopDate: execution.stopDate ? new Date(execution.stopDate * 1000).toISOString() : null, steps };
  }

  /** Starts an execution, as `aws stepfunctions start-execution` would. */
  startExecution(stateMachineArn: string, body: Record<string, unknown>) {
    return this.stepFunctions.startExecution({ stateMachineArn, input: str(body.input, 'input', { optional: true }) ?? '{}' }).catch((error: Error & { type?: string }) => {
      throw error.type ? new ConsoleRequestError(error.message, 400) : error;
    });
  }
}
