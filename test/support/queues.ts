import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Sends the jobs as JSON bodies in batches of 10, ten batches at a time; throws if SQS refused any. */
export async function sendJobs(sqs: SQSClient, queueUrl: string, jobs: readonly Record<string, unknown>[]): Promise<void> {
  const batches = Array.from({ length: Math.ceil(jobs.length / 10) }, (_, i) => jobs.slice(i * 10, i * 10 + 10));
  for (let i = 0; i < batches.length; i += 10) {
    await Promise.all(
      batches.slice(i, i + 10).map(async (batch) => {
        const output = await sqs.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((job, n) => ({ Id: String(n), MessageBody: JSON.stringify(job) })) }),
        );
        if (output.Failed?.length) throw new Error(`SQS refused ${output.Failed.length} jobs: ${JSON.stringify(output.Failed)}`);
      }),
    );
  }
}

/**
 * Receives everything the queue offers now (until a 1-second poll finds nothing) and adds the `id`
 * of each job body to `into`. What it received is hidden while it reads (so each message is seen
 * once) and made visible again at the end: test files share the stack's queues, and a message
 * hidden here must not vanish from another file's view.
 */
export async function collectJobIds(sqs: SQSClient, queueUrl: string, into = new Set<string>()): Promise<Set<string>> {
  const received: string[] = [];
  try {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 600 }),
      );
      if (Messages.length === 0) return into;
      for (const message of Messages) {
        if (message.ReceiptHandle) received.push(message.ReceiptHandle);
        try {
          const id = (JSON.parse(message.Body ?? '{}') as { id?: unknown }).id;
          if (typeof id === 'string') into.add(id);
        } catch {
          // not a job body (other tests dead-letter malformed messages too)
        }
      }
    }
  } finally {
    for (let i = 0; i < received.length; i += 10) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: received.slice(i, i + 10).map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
}

/** Approximate visible, in-flight and delayed messages of a queue. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}
