import { Logger } from '@aws-lambda-powertools/logger';

/** One structured JSON logger for the service; POWERTOOLS_SERVICE_NAME and _LOG_LEVEL configure it. */
export const logger = new Logger();
