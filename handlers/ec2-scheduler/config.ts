import { z } from 'zod';
import { loadConfig, requiredString } from '../shared/config';

export const config = loadConfig(
  z.object({
    SCHEDULE_TAG_KEY: requiredString.default('Schedule'),
    SCHEDULE_TAG_VALUE: requiredString,
  }),
);
