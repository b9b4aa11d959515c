import { CALL_TABLES } from './calls';
import { type Call, defaultContext, factsOf } from './calls/types';
import { type Context, type Evaluation, evaluate } from './engine';
import { ACCOUNT, type Stack } from './stack';

/** The account that owns the resource an ARN names (S3 and snapshot ARNs carry none: ours). */
export const ownerOf = (arn: string): string => (arn === '*' ? ACCOUNT : arn.split(':')[4] || ACCOUNT);

/** A call of a function's table, through the engine: the function's role and the resource's policy. */
export function evaluateCall(stack: Stack, functionId: string, call: Call, overrides: Context = {}): Promise<Evaluation> {
  const fn = stack.functions[functionId];
  if (!fn) throw new Error(`no function ${functionId}`);
  return evaluate({
    principal: stack.sessionOf(functionId),
    action: call.action,
    resource: call.resource,
    resourceAccount: ownerOf(call.resource),
    context: { ...defaultContext(stack, functionId), ...call.context, ...overrides },
    identityPolicies: stack.identityPolicies(fn.roleId),
    resourcePolicy: call.resource === '*' ? undefined : stack.resourcePolicyOf(call.resource),
  });
}

/** Every function of a stack with its call table. */
export function callsOf(stack: Stack): { functionId: string; calls: Call[] }[] {
  return Object.keys(stack.functions).map((functionId) => {
    const table = CALL_TABLES[functionId];
    if (!table) throw new Error(`${functionId} has no call table in test/infra/iam/calls`);
    return { functionId, calls: table(factsOf(stack, functionId)) };
  });
}

const short = (arn: string) => arn.replace(/^arn:aws:/, '').replace(`:${ACCOUNT}:`, '::');
export const describeCall = (call: Call) => `${call.operation} -> ${call.action} on ${short(call.resource)}`;
