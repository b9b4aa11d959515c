import { CodeDeployClient, GetDeploymentCommand, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { HookStatusNotReportedError, runPreTrafficCheck } from '../../../../handlers/domain/releases/pre-traffic-check';

const VERSION = 'arn:aws:lambda:us-east-1:123456789012:function:svc-prod-sqsConsumer:7';
const GROUP = 'svc-prod-SqsConsumerLambdaFunctionDeploymentGroup';
const event = { DeploymentId: 'd-1', LifecycleEventHookExecutionId: 'hook-1' };

describe('runPreTrafficCheck', () => {
  const codeDeploy = mockClient(CodeDeployClient);
  const lambda = mockClient(LambdaClient);
  const deps = () => ({
    codeDeploy: new CodeDeployClient({ region: 'us-east-1' }),
    lambda: new LambdaClient({ region: 'us-east-1' }),
    targets: { [GROUP]: { function: 'sqsConsumer', version: VERSION } },
    samples: { sqsConsumer: { Records: [] } },
  });
  beforeEach(() => {
    codeDeploy.reset();
    lambda.reset();
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentGroupName: GROUP } });
    codeDeploy.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});
  });
  const reported = () => codeDeploy.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((call) => call.args[0].input);

  it('invokes the new version (qualified) with the sample event and reports Succeeded', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: Buffer.from('{"batchItemFailures":[]}') as never });

    const outcome = await runPreTrafficCheck(deps(), event);

    expect(outcome).toEqual({ status: 'Succeeded', deploymentGroup: GROUP, version: VERSION });
    expect(lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input)).toEqual([{ FunctionName: VERSION, InvocationType: 'RequestResponse', Payload: '{"Records":[]}' }]);
    expect(reported()).toEqual([{ deploymentId: 'd-1', lifecycleEventHookExecutionId: 'hook-1', status: 'Succeeded' }]);
  });

  it('reports Failed when the new version fails the sample event', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from('{"errorType":"TypeError"}') as never });

    const outcome = await runPreTrafficCheck(deps(), event);

    expect(outcome).toEqual({ status: 'Failed', deploymentGroup: GROUP, version: VERSION, reason: 'Unhandled: {"errorType":"TypeError"}' });
    expect(reported().map((input) => input.status)).toEqual(['Failed']);
  });

  it('reports Failed, invoking nothing, for a deployment group it has no target for', async () => {
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { deploymentGroupName: 'another-group' } });

    const outcome = await runPreTrafficCheck(deps(), event);

    expect(outcome.status).toBe('Failed');
    expect(lambda.commandCalls(InvokeCommand)).toEqual([]);
    expect(reported().map((input) => input.status)).toEqual(['Failed']);
  });

  it('reports Failed when the invoke itself is refused', async () => {
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    const outcome = await runPreTrafficCheck(deps(), event);

    expect(outcome).toEqual(expect.objectContaining({ status: 'Failed', reason: 'check failed: AccessDeniedException: not authorized' }));
    expect(reported().map((input) => input.status)).toEqual(['Failed']);
  });

  it('throws a typed error when CodeDeploy cannot be told the verdict', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    codeDeploy.on(PutLifecycleEventHookExecutionStatusCommand).rejects(new Error('throttled'));

    await expect(runPreTrafficCheck(deps(), event)).rejects.toThrow(HookStatusNotReportedError);
  });
});
