// First, so that even an error at start-up names our .ts files: platform/stack-traces.ts.
import '../platform/stack-traces';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { codeDeployClient } from '../platform/clients/codedeploy';
import { lambdaClient } from '../platform/clients/lambda';
import { InvalidEventError } from '../platform/errors';
import { logger } from '../platform/logger';
import * as z from '../platform/zod';
import { runPreTrafficCheck } from '../domain/releases/pre-traffic-check';
import { config } from './config';
import { samples } from './samples';

const HookEvent = z.object({ DeploymentId: z.string().check(z.minLength(1)), LifecycleEventHookExecutionId: z.string().check(z.minLength(1)) });

/**
 * preTrafficHook: CodeDeploy's BeforeAllowTraffic hook of a release (param preTrafficHook). It
 * invokes the new version of the released function with that function's sample event and reports
 * Succeeded or Failed; Failed stops the release with no traffic moved.
 */
export const handler = middy(async (event: unknown) => {
  const parsed = HookEvent.safeParse(event);
  if (!parsed.success) throw new InvalidEventError('not a CodeDeploy lifecycle hook event', parsed.error.issues.map((issue) => issue.message));
  const outcome = await runPreTrafficCheck({ codeDeploy: codeDeployClient, lambda: lambdaClient, targets: config.targets, samples }, parsed.data);
  if (outcome.status === 'Succeeded') logger.info('Pre-traffic check passed', { ...outcome });
  else logger.error('Pre-traffic check failed: the release stops', { ...outcome });
  return outcome;
}).use(injectLambdaContext(logger));
