import { loadConfig } from '../platform/config';
import { Environment } from '../platform/environment';

export const config = loadConfig(Environment.pick({ DEST_BUCKET: true, NOTIFICATIONS_TOPIC_ARN: true }));
