import { localClients } from './clients';
import { localAwsConfig, type LocalAwsConfig } from './config';
import { startFauxqs, startMoto, type Stoppable } from './emulators';
import type { AsyncInvokeTarget } from './async-invoke';
import { log } from './log';
import { type LocalPlan, planFromTemplate } from './plan';
import { provision, type ProvisionedResources } from './provision';
import { S3Notifications } from './s3-notifications';
import { SnsFunctionSubscriptions } from './sns-function-subscriptions';
import { SqsEventSource } from './sqs-event-source';
import type { Template } from './template';

export interface LocalAws {
  config: LocalAwsConfig;
  plan: LocalPlan;
  resources: ProvisionedResources;
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
 * S3 notifications and SNS function subscriptions, all invoking serverless-offline's Lambda API.
 * It runs in a process of its own, apart from the function runtime, so a crashed runtime loses
 * nothing: what it had not acknowledged comes back as it would on AWS.
 */
export async function startLocalAws(stage: string, template: Template): Promise<LocalAws> {
  const config = localAwsConfig(stage);
  const plan = planFromTemplate(template, { region: config.region, accountId: config.accountId, sqsEndpoint: config.endpoint });
  const clients = localClients(config);
  const queueUrls: Record<string, string> = {};
  const asyncTarget = (functionName: string): AsyncInvokeTarget => {
    const destination = plan.onFailureDestinations[functionName];
    return {
      functionName,
      timeoutSeconds: plan.functionTimeouts[functionName] ?? 30,
      onFailureQueueUrl: destination ? queueUrls[destination.split(':').pop() ?? ''] : undefined,
    };
  };
  const notifications = new S3Notifications(clients, plan, config.region, asyncTarget);
  const stoppables: Stoppable[] = [];
  const stop = async () => {
    for (const stoppable of stoppables.reverse()) await stoppable.stop().catch(() => undefined);
  };
  try {
    const [moto, fauxqs] = await Promise.all([
      startMoto({ port: config.ec2Port }),
      startFauxqs({ port: config.port, region: config.region, stage, onObjectCreated: notifications.onObjectCreated, s3Endpoint: config.ec2Endpoint }),
    ]);
    stoppables.push(moto, fauxqs, notifications);
    const resources = await provision(clients, plan);
    Object.assign(queueUrls, resources.queueUrls);
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
          clients,
          mapping,
          resources.queueUrls[queueName] ?? '',
          plan.functionTimeouts[mapping.functionName] ?? 30,
          config.region,
        );
        source.start();
        stoppables.push(source);
      }
      log.info('Local AWS triggers started', { stage, lambdaEndpoint: config.lambdaEndpoint });
    };
    log.info('Local AWS ready', { stage, endpoint: config.endpoint, ec2Endpoint: config.ec2Endpoint });
    return { config, plan, resources, startTriggers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
