import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { NamedPolicy, PolicyDocument } from './stack';

/**
 * One request through @cloud-copilot/iam-simulate: the identity policies of the principal (none for
 * a service principal or another account's role we do not hold), the policy of the resource, and
 * the request context AWS would build. Input the engine rejects (an unknown action, a resource ARN
 * that is not a resource type of the action, an invalid policy) throws, naming the request.
 */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
export type Context = Record<string, string | string[]>;

export interface Request {
  principal: string;
  action: string;
  resource: string;
  /** The account that owns the resource. */
  resourceAccount: string;
  context: Context;
  identityPolicies: NamedPolicy[];
  resourcePolicy: PolicyDocument | undefined;
}

export interface Evaluation {
  decision: Decision;
  /** Context keys given that the action does not carry (so no policy could ever test them). */
  ignoredContextKeys: string[];
}

export async function evaluate(request: Request): Promise<Evaluation> {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: request.context,
      },
      identityPolicies: request.identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(`${request.action} on ${request.resource} by ${request.principal}: the engine refused the input: ${JSON.stringify(result.errors)}`);
  }
  const ignoredContextKeys = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  return { decision: result.overallResult as Decision, ignoredContextKeys };
}
