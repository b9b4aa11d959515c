import type { JobEnvironment } from '../../../handlers/sqs-consumer/process-batch';
import { loadSchedulerConfig } from '../../../handlers/domain/scheduling/schedules';
import schedulesFile from '../../../config/schedules.json';

/**
 * The environment of a batch of canary jobs: canaries touch no AWS client, so none is given and a
 * job that tried to use one would fail.
 */
export const canaryEnvironment: JobEnvironment = {
  clients: {} as never,
  config: {
    copy: {
      destinationBucket: 'messaging-workers-test-destination-local',
      destinationPrefix: '',
      multipartThreshold: 5 * 1024 ** 3,
      partSize: 64 * 1024 ** 2,
      partConcurrency: 8,
    },
    notificationsTopicArn: 'arn:aws:sns:us-east-1:000000000000:messaging-workers-test-notifications',
    maxReceiveCount: 5,
    scheduleTagKey: 'Schedule',
    scheduler: loadSchedulerConfig(schedulesFile),
  },
};
