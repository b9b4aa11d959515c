import { loadConfig } from '../platform/config';
import { Environment } from '../platform/environment';
import * as z from '../platform/zod';

const env = loadConfig(
  z.pick(Environment, {
    NOTIFICATIONS_TOPIC_ARN: true,
    VOLUME_KEEP_TAG_KEY: true,
    VOLUME_RETIREMENT_DRY_RUN: true,
    VOLUME_AGE_LIMIT_DAYS: true,
    SNAPSHOT_FIRST_WAIT_SECONDS: true,
    SNAPSHOT_MAX_WAIT_SECONDS: true,
    SNAPSHOT_TIMEOUT_SECONDS: true,
  }),
);

export const config = {
  notificationsTopicArn: env.NOTIFICATIONS_TOPIC_ARN,
  keepTagKey: env.VOLUME_KEEP_TAG_KEY,
  /** What an execution does when its input leaves it out. */
  defaults: { dryRun: env.VOLUME_RETIREMENT_DRY_RUN, ageLimitDays: env.VOLUME_AGE_LIMIT_DAYS },
  waits: { firstWaitSeconds: env.SNAPSHOT_FIRST_WAIT_SECONDS, maxWaitSeconds: env.SNAPSHOT_MAX_WAIT_SECONDS, timeoutSeconds: env.SNAPSHOT_TIMEOUT_SECONDS },
};
