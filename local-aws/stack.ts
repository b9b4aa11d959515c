import { localClients } from './clients';
import { localAwsConfig, type LocalAwsConfig } from './config';
import { startFauxqs, startMoto, type Stoppable } from './emulators';
import type { AsyncInvokeTarget } from './async-invoke';
import { type RunningConsole, startConsole } from './console/server';
import { inProcessQueueAccess } from './in-process-sqs';
import { invocationLog } from './invocation-log';
import { LambdaInvoker } from './lambda-invoker';
import { log } from './log';
import { type LocalPlan, planFromTemplate, timeoutOf } from './plan';
import { provision, type ProvisionedResources } from './provision';
import { S3Notifications } from './s3-notifications';
import { SnsFunctionSubscriptions } from './sns-function-subscriptions';
import { SqsEventSource } from './sqs-event-source';
import { LocalStepFunctions } from './step-functions';
import type { Template } from './template';

export interface LocalAws {
  config: LocalAwsConfig;
  plan: LocalPlan;
  resources: ProvisionedResources;
  /** The stage's state machines, run locally (their API is served at the local endpoint). */
  stepFunctions: LocalStepFunctions;
  /** The local console, or why it is not running (its port is taken). */
  console: { running: RunningConsole } | { problem: string };
  /**
   * Starts the triggers that invoke functions on their own (SQS event source mappings, SNS
   * function subscriptions), once the function runtime serves the Lambda API.
   */
  startTriggers(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local AWS: fauxqs (SQS, SNS, S3) and moto (EC2) on 127.0.0.1, the stage's resources created
 * from its CloudFormation template, and the triggers Lambda would run: SQS event source mappings,
 * S3 notifications and SNS function subscriptions, all invoking serverless-offline's Lambda API,
 * and the local console (a web page over all of it, local-aws/console/).
 * It runs in a process of its own, apart from the function runtime, so a crashed runtime loses
 * nothing: what it had not acknowledged comes back as it would on AWS.
 */
export async function startLocalAws(stage: string, template: Template, options: { stateWaitMs?: number } = {}): Promise<LocalAws> {
  const config = localAwsConfig(stage);
  const plan = planFromTemplate(template, { region: config.region, accountId: config.accountId, sqsEndpoint: config.endpoint });
  const clients = localClients(config);
  const queueUrls: Record<string, string> = {};
  const asyncTarget = (functionName: string): AsyncInvokeTarget => {
    const destination = plan.onFailureDestinations[functionName];
    return {
      functionName,
      timeoutSeconds: timeoutOf(plan, functionName),
      onFailureQueueUrl: destination ? queueUrls[destination.split(':').pop() ?? ''] : undefined,
    };
  };
  const notifications = new S3Notifications(clients, plan, config.region, asyncTarget);
  const stoppables: Stoppable[] = [];
  const stop = async () => {
    for (const stoppable of stoppables.reverse()) await stoppable.stop().catch(() => undefined);
  };
  const invoker = new LambdaInvoker(config.lambdaEndpoint);
  const stepFunctions = new LocalStepFunctions(plan.stateMachines, invoker, {
    region: config.region,
    accountId: config.accountId,
    functionTimeouts: plan.functionTimeouts,
    ...(options.stateWaitMs === undefined ? {} : { waitMs: options.stateWaitMs }),
  });
  try {
    const [moto, fauxqs] = await Promise.all([
      startMoto({ port: config.ec2Port }),
      startFauxqs({ port: config.port, region: config.region, stage, onObjectCreated: notifications.onObjectCreated, s3Endpoint: config.ec2Endpoint, stepFunctions }),
    ]);
    stoppables.push(moto, fauxqs, notifications);
    // What the SQS event source mappings reach their queues and the function runtime through.
    const queues = inProcessQueueAccess(fauxqs.sqsAction);
    stoppables.push({ stop: async () => invoker.destroy() }, stepFunctions);
    const resources = await provision(clients, plan);
    Object.assign(queueUrls, resources.queueUrls);
    const console = await openConsole({ config, plan, resources, template, clients, invocations: invocationLog, stepFunctions });
    if ('running' in console) stoppables.push(console.running);
    let triggersStarted = false;
    const startTriggers = async () => {
      if (triggersStarted) return;
      triggersStarted = true;
      const subscriptions = new SnsFunctionSubscriptions(clients, plan, asyncTarget);
      await subscriptions.start();
      stoppables.push(subscriptions);
      for (const mapping of plan.eventSourceMappings) {
        const queueName = mapping.queueArn.split(':').pop() ?? '';
        const source = new SqsEventSource(
          queues,
          invoker,
          mapping,
          resources.queueUrls[queueName] ?? '',
          timeoutOf(plan, mapping.functionName),
          config.region,
        );
        source.start();
        stoppables.push(source);
      }
      log.info('Local AWS triggers started', { stage, lambdaEndpoint: config.lambdaEndpoint });
    };
    log.info('Local AWS ready', { stage, endpoint: config.endpoint, ec2Endpoint: config.ec2Endpoint });
    return { config, plan, resources, stepFunctions, console, startTriggers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts the local console on LOCAL_CONSOLE_PORT. A taken port does not stop the local AWS (the
 * console is a convenience); the summary says so and how to choose another port.
 */
async function openConsole(context: Parameters<typeof startConsole>[0]): Promise<LocalAws['console']> {
  const { consolePort } = context.config;
  try {
    return { running: await startConsole(context, consolePort) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'EADDRINUSE' ? `port ${consolePort} is taken; set LOCAL_CONSOLE_PORT to a free port` : (error as Error).message;
    log.warn('Local console not started', { port: consolePort, reason: problem });
    return { problem };
  }
}
