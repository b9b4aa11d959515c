/** Reading a queue's RedrivePolicy and RedriveAllowPolicy attributes (JSON strings). */

function parsePolicy(policy: string | undefined): Record<string, unknown> | undefined {
  if (!policy) return undefined;
  try {
    const value: unknown = JSON.parse(policy);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The dead-letter queue ARN of a queue's RedrivePolicy, if it has one. */
export function deadLetterTargetArn(redrivePolicy: string | undefined): string | undefined {
  const arn = parsePolicy(redrivePolicy)?.deadLetterTargetArn;
  return typeof arn === 'string' && arn !== '' ? arn : undefined;
}

/** The source queues a RedriveAllowPolicy names (`redrivePermission: byQueue`). */
export function sourceQueueArns(redriveAllowPolicy: string | undefined): string[] {
  const policy = parsePolicy(redriveAllowPolicy);
  if (policy?.redrivePermission !== 'byQueue' || !Array.isArray(policy.sourceQueueArns)) return [];
  return policy.sourceQueueArns.filter((arn): arn is string => typeof arn === 'string');
}

/** A queue that names its sources (RedriveAllowPolicy byQueue), or is named like a DLQ (`-dlq`). */
export function isDeadLetterQueue(name: string, redriveAllowPolicy: string | undefined): boolean {
  return parsePolicy(redriveAllowPolicy)?.redrivePermission === 'byQueue' || /-dlq(\.fifo)?$/.test(name);
}
