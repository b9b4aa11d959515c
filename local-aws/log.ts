import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs of the local AWS (pollers, notifications), apart from the functions' own. */
export const log = new Logger({ serviceName: 'local-aws', logLevel: (process.env.LOCAL_AWS_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO' });
