// First, so that even an error at start-up names our .ts files: platform/stack-traces.ts.
import '../platform/stack-traces';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { describeCaught, failureDraft, publishVolumeNotification, reportDraft, retiredDraft } from '../domain/volumes/announce';
import { parseRetirementInput } from '../domain/volumes/plan';
import { checkSnapshot, deleteVolume, findVolumes, snapshotVolume } from '../domain/volumes/tasks';
import { ec2Client } from '../platform/clients/ec2';
import { snsClient } from '../platform/clients/sns';
import { logger } from '../platform/logger';
import { config } from './config';
import { parseTaskEvent } from './event';

const tasks = { ec2: ec2Client, keepTagKey: config.keepTagKey, waits: config.waits, now: () => new Date() };
const publish = { sns: snsClient, topicArn: config.notificationsTopicArn };

/**
 * volumeRetirement: the steps of the retire-volumes state machine (serverless.yml
 * `stepFunctions`), one per `task`. Each step is one decision or one EC2/SNS call; the waiting,
 * retries and error paths are the state machine's.
 */
export const handler = middy(async (event: unknown) => {
  const request = parseTaskEvent(event);
  logger.appendKeys({ task: request.task });
  switch (request.task) {
    case 'validate':
      return parseRetirementInput(request.input, config.defaults);
    case 'find':
      return findVolumes(tasks, request);
    case 'snapshot':
      return snapshotVolume(tasks, request);
    case 'check-snapshot':
      return checkSnapshot(tasks, request);
    case 'delete':
      return deleteVolume(tasks, request);
    case 'announce-retired':
      await publishVolumeNotification(publish, retiredDraft(request.volume, request.snapshotId, request.execution));
      return { volumeId: request.volume.volumeId, outcome: 'retired', snapshotId: request.snapshotId };
    case 'announce-failure': {
      await publishVolumeNotification(publish, failureDraft(request.volume, request.error, request.dryRun, request.execution));
      return { volumeId: request.volume.volumeId, outcome: 'failed', ...describeCaught(request.error) };
    }
    case 'report':
      await publishVolumeNotification(publish, reportDraft(request, request.execution));
      return summarizeRun(request.outcomes, request.dryRun, request.kept.map((v) => v.volumeId));
  }
}).use(injectLambdaContext(logger, { resetKeys: true }));

/** The execution's output: ids by outcome. */
function summarizeRun(outcomes: { volumeId: string; outcome: string }[], dryRun: boolean, kept: string[]) {
  const ids = (outcome: string) => outcomes.filter((o) => o.outcome === outcome).map((o) => o.volumeId);
  return { dryRun, retired: ids('retired'), wouldRetire: ids('would-retire'), failed: ids('failed'), kept };
}
