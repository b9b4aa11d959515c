import type { LocalAws } from './stack';

/** What a user needs after `npm start`: endpoints, queue URLs, bucket and topic names. */
export function summary(localAws: LocalAws, startupMs: number): string {
  const { config, resources, plan } = localAws;
  const lines = [
    '',
    `messaging-workers, stage ${config.stage}, ready in ${(startupMs / 1000).toFixed(1)} s`,
    `  SQS/SNS/S3 (fauxqs)   ${config.endpoint}`,
    `  EC2 (moto)            ${config.ec2Endpoint}`,
    `  Lambda API (offline)  ${config.lambdaEndpoint}`,
    `  Console (browser)     ${'running' in localAws.console ? localAws.console.running.url : `not started: ${localAws.console.problem}`}`,
    '  Queues:',
    ...Object.entries(resources.queueUrls).map(([name, url]) => `    ${name.padEnd(44)} ${url}`),
    '  Topics:',
    ...Object.values(resources.topicArns).map((arn) => `    ${arn}`),
    '  Buckets:',
    ...resources.buckets.map((bucket) => `    ${bucket}`),
    '  Triggers:',
    ...plan.bucketNotifications.map((n) => `    s3://${n.bucket} ${n.events.join(',')} -> ${n.functionName}`),
    ...plan.functionSubscriptions.map((s) => `    ${s.topicArn} -> ${s.functionName}`),
    ...plan.eventSourceMappings.map((m) => `    ${m.queueArn} (batch ${m.batchSize}) -> ${m.functionName}`),
    ...(plan.stateMachines.length ? ['  State machines (Step Functions API at the SQS/SNS/S3 endpoint; start by hand or from the console):'] : []),
    ...plan.stateMachines.map((m) => `    ${m.arn}`),
    `  Try: aws --endpoint-url ${config.endpoint} s3 cp README.md "s3://${resources.buckets[0] ?? 'bucket'}/my file 中文.txt"`,
    '',
  ];
  return lines.join('\n');
}
