import { copySettingsFrom, assertNoCopyLoop } from '../domain/copying/copy-settings';
import { loadConfig } from '../platform/config';
import { Environment } from '../platform/environment';
import * as z from '../platform/zod';

const env = loadConfig(
  z.pick(Environment, {
    DEST_BUCKET: true,
    NOTIFICATIONS_TOPIC_ARN: true,
    SOURCE_BUCKET: true,
    SOURCE_PREFIX: true,
    SOURCE_SUFFIX: true,
    DEST_PREFIX: true,
    COPY_MULTIPART_THRESHOLD: true,
    COPY_PART_SIZE: true,
    COPY_PART_CONCURRENCY: true,
    COPY_OBJECT_CONCURRENCY: true,
    DEST_SSE: true,
    DEST_SSE_KMS_KEY_ID: true,
    DEST_STORAGE_CLASS: true,
  }),
);
// A copy that triggers the copier again would copy forever: refused at start-up.
assertNoCopyLoop({ bucket: env.SOURCE_BUCKET, prefix: env.SOURCE_PREFIX }, { bucket: env.DEST_BUCKET, prefix: env.DEST_PREFIX });

export const config = {
  notificationsTopicArn: env.NOTIFICATIONS_TOPIC_ARN,
  source: { bucket: env.SOURCE_BUCKET, prefix: env.SOURCE_PREFIX, suffix: env.SOURCE_SUFFIX },
  copy: copySettingsFrom(env),
  objectConcurrency: env.COPY_OBJECT_CONCURRENCY,
};
