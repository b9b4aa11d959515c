import { loadConfig } from '../platform/config';
import { Environment } from '../platform/environment';

export const config = loadConfig(Environment.pick({ SCHEDULE_TAG_KEY: true, SCHEDULE_TAG_VALUE: true }));
