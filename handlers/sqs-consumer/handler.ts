import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { s3Client } from '../platform/clients/s3';
import { snsClient } from '../platform/clients/sns';
import { logger } from '../platform/logger';
import { config } from './config';
import { processBatch } from './process-batch';

/** sqsConsumer: runs the jobs of the work queues and reports only the failed records. */
export const handler = middy(
  (event: unknown, context: Context): Promise<SQSBatchResponse> =>
    processBatch(event, context, { clients: { s3: s3Client, sns: snsClient }, config }),
).use(injectLambdaContext(logger));
