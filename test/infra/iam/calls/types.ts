import type { Context } from '../engine';
import { ACCOUNT, REGION, type Stack } from '../stack';

/**
 * One AWS request a function's code makes, as IAM authorizes it: the SDK operation the code sends
 * (`s3:CopyObject`), one action AWS checks for it (CopyObject checks several: a row each, the KMS
 * actions SSE implies included), the resource ARN and the condition keys AWS puts in that request's
 * context beyond the defaults every call of a function carries (see defaultContext).
 */
export interface Call {
  operation: string;
  action: string;
  resource: string;
  context?: Context;
  /** Why AWS checks this action for the operation (when not obvious from the names). */
  why?: string;
  /**
   * The bundle imports the command, but this function never sends it (why): the role must not allow it.
   */
  unreachable?: string;
}

/** What a function's call table reads from the deployed stack: its environment, names and keys. */
export interface Facts {
  stack: Stack;
  functionId: string;
  environment: Record<string, string>;
  /** The KMS key ARN of a topic (KmsMasterKeyId), if it is encrypted. */
  topicKeyArn(topicArn: string): string | undefined;
}

export function factsOf(stack: Stack, functionId: string): Facts {
  const fn = stack.functions[functionId];
  if (!fn) throw new Error(`no function ${functionId}`);
  return {
    stack,
    functionId,
    environment: fn.environment,
    topicKeyArn(topicArn) {
      const topic = stack.ofType('AWS::SNS::Topic').find(([id]) => stack.arn(id) === topicArn);
      if (!topic) throw new Error(`${topicArn} is not a topic of the stack`);
      const key = topic[1].Properties.KmsMasterKeyId as string | undefined;
      if (key === undefined) return undefined;
      return key.startsWith('arn:') ? key : `arn:aws:kms:${REGION}:${ACCOUNT}:key/${key}`;
    },
  };
}

/** Keys AWS sets on every request of a function's role (all calls go over HTTPS, signed with SigV4). */
export function defaultContext(stack: Stack, functionId: string): Context {
  const fn = stack.functions[functionId];
  return {
    'aws:SecureTransport': 'true',
    'aws:PrincipalAccount': ACCOUNT,
    'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/${fn?.roleId ?? ''}`,
    'aws:PrincipalType': 'AssumedRole',
    'aws:RequestedRegion': REGION,
  };
}

export type CallTable = (facts: Facts) => Call[];
