import { deliveriesOf } from './deliveries';
import { callsOf } from './evaluate-call';
import { deployedStack } from './stack';

/**
 * The converse of the call tables: every action a function's role grants is one of its calls or
 * of what Lambda does with the role (a grant no row uses is a permission nothing needs).
 */
/** Grants kept although no row uses them, each with the reason. */
const KEPT: Record<string, Record<string, string>> = {
  SqsConsumerRole: {
    // The Lambda developer guide requires ReceiveMessage, DeleteMessage and GetQueueAttributes of an
    // SQS event source's role; AWS CDK's SqsEventSource grants ChangeMessageVisibility too. Kept so a
    // poller that returns messages early is never refused; nothing here can show whether it does.
    'sqs:ChangeMessageVisibility': 'granted to the SQS poller beyond the documented three, as AWS CDK does',
  },
};

describe.each(['dev', 'prod', 'prod-copy-kms'])('the function roles (%s)', (label) => {
  const stack = deployedStack(label);

  it.each(Object.entries(stack.functions).map(([functionId, fn]) => ({ functionId, roleId: fn.roleId })))('grant $roleId only actions its calls use', ({ functionId, roleId }) => {
    const used = new Set([
      ...(callsOf(stack).find((entry) => entry.functionId === functionId)?.calls ?? []).filter((call) => !call.unreachable).map((call) => call.action),
      ...deliveriesOf(stack)
        .filter((delivery) => delivery.by.startsWith(`${roleId} `))
        .map((delivery) => delivery.action),
    ]);
    const granted = stack
      .identityPolicies(roleId)
      .flatMap(({ name, policy }) => policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => ([] as string[]).concat(s.Action).map((action) => ({ name, action }))));

    expect(granted.filter(({ action }) => !used.has(action) && !KEPT[roleId]?.[action]).map(({ name, action }) => `${name}: ${action}`)).toEqual([]);
  });
});
