// First, so that even an error at start-up names our .ts files: platform/stack-traces.ts.
import '../platform/stack-traces';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { logger } from '../platform/logger';
import { config } from './config';
import { processBatch } from './process-batch';

/** Each client module is loaded by the first job that uses it (a chunk of its own in the bundle). */
const clients = {
  s3: () => import('../platform/clients/s3').then((module) => module.s3Client),
  sns: () => import('../platform/clients/sns').then((module) => module.snsClient),
};

/** sqsConsumer: runs the jobs of the work queues and reports only the failed records. */
export const handler = middy(
  (event: unknown, context: Context): Promise<SQSBatchResponse> => processBatch(event, context, { clients, config }),
).use(injectLambdaContext(logger));
