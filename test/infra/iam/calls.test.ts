import { callsReachableFrom } from './code-calls';
import { callsOf, describeCall, evaluateCall } from './evaluate-call';
import { deployedStack } from './stack';

/**
 * Every AWS call each function's code makes (its table in test/infra/iam/calls), evaluated by
 * @cloud-copilot/iam-simulate against the function's role and the policy of the resource (bucket,
 * queue, topic, KMS key) on the deployed stages: each must be Allowed, with no condition key the
 * action does not carry. A command the bundle imports but the function never sends must be Denied.
 */
const STAGES = ['dev', 'prod', 'prod-copy-kms'];

describe.each(STAGES)('the calls of each function (%s)', (label) => {
  const stack = deployedStack(label);
  const rows = callsOf(stack).flatMap(({ functionId, calls }) => calls.map((call) => ({ functionId, call, name: `${functionId.replace('LambdaFunction', '')}: ${describeCall(call)}` })));

  it.each(rows.filter((row) => !row.call.unreachable))('allows $name', async ({ functionId, call }) => {
    const { decision, ignoredContextKeys } = await evaluateCall(stack, functionId, call);

    expect({ decision, ignoredContextKeys }).toEqual({ decision: 'Allowed', ignoredContextKeys: [] });
  });

  it.each(rows.filter((row) => row.call.unreachable))('denies $name (imported, never sent: least privilege)', async ({ functionId, call }) => {
    const { decision } = await evaluateCall(stack, functionId, call);

    expect(decision).not.toBe('Allowed');
  });
});

describe('the call tables', () => {
  const stack = deployedStack('prod');

  it.each(Object.entries(stack.functions).map(([functionId, fn]) => ({ functionId, handler: fn.handlerModule })))(
    'name every command $functionId can send, and none it cannot ($handler and the modules it imports)',
    ({ functionId, handler }) => {
      const inCode = [...callsReachableFrom(handler).operations.keys()].sort();
      const inTable = [...new Set(callsOf(stack).find((entry) => entry.functionId === functionId)?.calls.map((call) => call.operation))].sort();

      expect(inTable).toEqual(inCode);
    },
  );
});
