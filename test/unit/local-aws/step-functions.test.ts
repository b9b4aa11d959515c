import type { LambdaInvoker, RawInvokeResult } from '../../../local-aws/lambda-invoker';
import { lambdaTarget, LocalStepFunctions, type LocalStateMachine } from '../../../local-aws/step-functions';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:sm';
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:messaging-workers-test-tasks:$LATEST';

/** serverless-offline's Lambda API, faked: each payload's `task` picks the answer. */
function fakeInvoker(answers: Record<string, (payload: Record<string, unknown>) => RawInvokeResult>): LambdaInvoker & { calls: { functionName: string; payload: unknown }[] } {
  const calls: { functionName: string; payload: unknown }[] = [];
  return {
    calls,
    invoke: async (functionName: string, payload: string) => {
      const event = JSON.parse(payload) as Record<string, unknown>;
      calls.push({ functionName, payload: event });
      return (answers[String(event.task)] ?? (() => ({ statusCode: 200, payload: JSON.stringify(event) })))(event);
    },
    destroy: () => undefined,
  } as unknown as LambdaInvoker & { calls: { functionName: string; payload: unknown }[] };
}

const machine = (states: Record<string, unknown>, startAt: string): LocalStateMachine => ({
  logicalId: 'Sm',
  name: 'sm',
  arn: ARN,
  roleArn: 'arn:aws:iam::000000000000:role/sm',
  definition: JSON.stringify({ StartAt: startAt, States: states }),
});
const failure = (errorType: string, errorMessage: string): RawInvokeResult => ({ statusCode: 200, payload: JSON.stringify({ errorType, errorMessage, trace: [] }) });

const catching = machine(
  {
    Wait: { Type: 'Wait', Seconds: 3600, Next: 'Work' },
    Work: { Type: 'Task', Resource: FUNCTION, Parameters: { task: 'work' }, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Recover' }], End: true },
    Recover: { Type: 'Task', Resource: FUNCTION, Parameters: { 'task': 'recover', 'error.$': '$.error' }, End: true },
  },
  'Wait',
);

async function run(sfn: LocalStepFunctions, input = '{}') {
  const { executionArn } = await sfn.startExecution({ stateMachineArn: ARN, name: 'run-1', input });
  await sfn.settled(executionArn);
  return { execution: sfn.describeExecution({ executionArn }), events: sfn.getExecutionHistory({ executionArn }).events };
}

describe('LocalStepFunctions', () => {
  const options = { region: 'us-east-1', accountId: '000000000000', functionTimeouts: {}, waitMs: 1 };

  it('runs a Lambda task through the Lambda API by function name, and a caught function error takes the Catch path with its errorType and payload', async () => {
    const invoker = fakeInvoker({ work: () => failure('TagLimitExceeded', 'too many tags') });
    const sfn = new LocalStepFunctions([catching], invoker, options);

    const { execution, events } = await run(sfn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(invoker.calls.map((c) => c.functionName)).toEqual(['messaging-workers-test-tasks', 'messaging-workers-test-tasks']);
    const recovered = invoker.calls[1]?.payload as { error: { Error: string; Cause: string } };
    expect(recovered.error.Error).toBe('TagLimitExceeded');
    expect(JSON.parse(recovered.error.Cause)).toMatchObject({ errorType: 'TagLimitExceeded', errorMessage: 'too many tags' });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['ExecutionStarted', 'WaitStateEntered', 'TaskStateEntered', 'TaskFailed', 'ExecutionSucceeded']));
  });

  it('invokes a Task through the qualifier its Resource names (the live alias), as the deployed state machine does', async () => {
    const invoker = fakeInvoker({});
    const live = FUNCTION.replace(/\$LATEST$/, 'live');
    const sfn = new LocalStepFunctions([machine({ Work: { Type: 'Task', Resource: live, Parameters: { task: 'work' }, End: true } }, 'Work')], invoker, options);

    const { execution } = await run(sfn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(invoker.calls.map((c) => c.functionName)).toEqual(['messaging-workers-test-tasks:live']);
  });

  it('fails the execution with the uncaught error of a task', async () => {
    const sfn = new LocalStepFunctions([machine({ Work: { Type: 'Task', Resource: FUNCTION, Parameters: { task: 'work' }, End: true } }, 'Work')], fakeInvoker({ work: () => failure('InvalidRetirementInputError', 'ageLimit: too small') }), options);

    const { execution } = await run(sfn);

    expect(execution).toMatchObject({ status: 'FAILED', error: 'InvalidRetirementInputError' });
    expect(execution.cause).toContain('ageLimit: too small');
  });

  it('answers as the Step Functions API does for an unknown state machine, input that is not JSON, and a name used twice', async () => {
    const sfn = new LocalStepFunctions([catching], fakeInvoker({}), options);

    await expect(sfn.startExecution({ stateMachineArn: `${ARN}-other` })).rejects.toMatchObject({ type: 'StateMachineDoesNotExist' });
    await expect(sfn.startExecution({ stateMachineArn: ARN, input: '{not json' })).rejects.toMatchObject({ type: 'InvalidExecutionInput' });
    await run(sfn);
    await expect(sfn.startExecution({ stateMachineArn: ARN, name: 'run-1' })).rejects.toMatchObject({ type: 'ExecutionAlreadyExists' });
    expect(() => sfn.describeExecution({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:sm:nope' })).toThrow(expect.objectContaining({ type: 'ExecutionDoesNotExist' }));
  });

  it('lists the executions of a state machine, newest first', async () => {
    const sfn = new LocalStepFunctions([catching], fakeInvoker({}), options);
    await run(sfn);
    const second = await sfn.startExecution({ stateMachineArn: ARN, name: 'run-2' });
    await sfn.settled(second.executionArn);

    expect(sfn.listExecutions({ stateMachineArn: ARN }).executions.map((e) => [e.name, e.status])).toEqual([
      ['run-2', 'SUCCEEDED'],
      ['run-1', 'SUCCEEDED'],
    ]);
  });
});

describe('lambdaTarget', () => {
  it('reads the function name and qualifier of a Lambda ARN, and nothing else', () => {
    expect(lambdaTarget(FUNCTION)).toEqual({ functionName: 'messaging-workers-test-tasks', qualifier: '$LATEST' });
    expect(lambdaTarget('arn:aws:lambda:us-east-1:000000000000:function:f')).toEqual({ functionName: 'f' });
    expect(lambdaTarget('arn:aws:states:::sns:publish')).toBeUndefined();
  });
});
