import { GetDeploymentCommand, PutLifecycleEventHookExecutionStatusCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { WorkerError } from '../../platform/errors';

/** What CodeDeploy hands a lifecycle hook of a Lambda deployment. */
export interface HookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

/** Deployment group name -> the function it releases (its key in serverless.yml) and the new version's ARN. */
export type HookTargets = Record<string, { function: string; version: string }>;

export type CheckOutcome = { status: 'Succeeded' | 'Failed'; deploymentGroup: string | undefined; version: string | undefined; reason?: string };

/** CodeDeploy could not be told the hook's verdict: the deployment waits for the hook's timeout, then fails. */
export class HookStatusNotReportedError extends WorkerError {
  override readonly name = 'HookStatusNotReportedError';
  constructor(
    readonly deploymentId: string,
    readonly outcome: CheckOutcome,
    options: { cause: unknown },
  ) {
    super(`could not report ${outcome.status} for deployment ${deploymentId}`, options);
  }
}

export interface PreTrafficCheckDeps {
  codeDeploy: Pick<CodeDeployClient, 'send'>;
  lambda: Pick<LambdaClient, 'send'>;
  targets: HookTargets;
  /** Function key -> the sample event its new version must handle without an error. */
  samples: Record<string, unknown>;
}

async function check(deps: PreTrafficCheckDeps, deploymentId: string): Promise<CheckOutcome> {
  const { deploymentInfo } = await deps.codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
  const deploymentGroup = deploymentInfo?.deploymentGroupName;
  const target = deploymentGroup === undefined ? undefined : deps.targets[deploymentGroup];
  if (!target) return { status: 'Failed', deploymentGroup, version: undefined, reason: `no target for deployment group ${String(deploymentGroup)}` };
  const sample = deps.samples[target.function];
  if (sample === undefined) return { status: 'Failed', deploymentGroup, version: target.version, reason: `no sample event for ${target.function}` };
  // The version ARN is qualified: this runs the new version, which has no traffic yet.
  const result = await deps.lambda.send(new InvokeCommand({ FunctionName: target.version, InvocationType: 'RequestResponse', Payload: JSON.stringify(sample) }));
  if (result.FunctionError) {
    const payload = result.Payload ? Buffer.from(result.Payload).toString('utf8').slice(0, 500) : '';
    return { status: 'Failed', deploymentGroup, version: target.version, reason: `${result.FunctionError}: ${payload}` };
  }
  return { status: 'Succeeded', deploymentGroup, version: target.version };
}

/**
 * The BeforeAllowTraffic check of a release: finds which function the deployment releases (its
 * deployment group), invokes the new version with that function's sample event, and tells
 * CodeDeploy Succeeded or Failed (Failed stops the release and leaves all traffic on the old
 * version). A check that cannot run (the deployment unknown, the invoke refused) is Failed too.
 */
export async function runPreTrafficCheck(deps: PreTrafficCheckDeps, event: HookEvent): Promise<CheckOutcome> {
  let outcome: CheckOutcome;
  try {
    outcome = await check(deps, event.DeploymentId);
  } catch (error) {
    outcome = { status: 'Failed', deploymentGroup: undefined, version: undefined, reason: `check failed: ${(error as Error).name}: ${(error as Error).message}` };
  }
  try {
    await deps.codeDeploy.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status: outcome.status,
      }),
    );
  } catch (error) {
    throw new HookStatusNotReportedError(event.DeploymentId, outcome, { cause: error });
  }
  return outcome;
}
