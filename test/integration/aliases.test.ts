import { InvokeCommand } from '@aws-sdk/client-lambda';
import { localAwsConfig } from '../../local-aws/config';
import type { InvocationRecord } from '../../local-aws/invocation-log';
import { eventually, lambda, names, queueUrl, sqs, uniqueId } from '../support/local-aws';
import { STAGE } from '../support/global-setup';
import { sendJobs } from '../support/queues';

/**
 * The `live` alias through `sls offline` (docs/releases.md): serverless-offline's Lambda API takes
 * the qualifier as Lambda does (in the name or as Qualifier), refuses one the function does not
 * have with ResourceNotFoundException, and the local AWS's triggers invoke `<function>:live`, as
 * the deployed event source mappings, notifications and subscriptions do.
 */
const consumer = names.function('sqsConsumer');
const canaryBatch = (id: string) => JSON.stringify({ Records: [{ messageId: id, body: JSON.stringify({ type: 'canary', id }), eventSource: 'aws:sqs', attributes: { ApproximateReceiveCount: '1' } }] });
const invoke = (input: { FunctionName: string; Qualifier?: string }, id: string) => lambda.send(new InvokeCommand({ ...input, Payload: canaryBatch(id) }));

describe('the live alias, through sls offline', () => {
  it.each([
    ['the qualified name', { FunctionName: `${consumer}:live` }],
    ['the Qualifier parameter', { FunctionName: consumer, Qualifier: 'live' }],
    ['the qualified ARN', { FunctionName: `arn:aws:lambda:us-east-1:000000000000:function:${consumer}:live` }],
    ['$LATEST', { FunctionName: consumer, Qualifier: '$LATEST' }],
  ])('invokes the function through %s', async (_how, input) => {
    const result = await invoke(input, uniqueId('alias'));

    expect({ status: result.StatusCode, error: result.FunctionError, payload: JSON.parse(Buffer.from(result.Payload ?? []).toString('utf8')) as unknown }).toEqual({
      status: 200,
      error: undefined,
      payload: { batchItemFailures: [] },
    });
  });

  it.each([
    ['an alias it does not have', { FunctionName: `${consumer}:beta` }],
    ['a version it does not have', { FunctionName: consumer, Qualifier: '42' }],
  ])('refuses %s with ResourceNotFoundException, as Lambda does', async (_what, input) => {
    await expect(invoke(input, uniqueId('unknown'))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it("invokes the consumer's live alias from the work queue's event source mapping, and the console's invocation log says so", async () => {
    const id = uniqueId('via-alias');
    const { consolePort } = localAwsConfig(STAGE);

    await sendJobs(sqs, await queueUrl(names.workQueue), [{ type: 'canary', id }]);

    const record = await eventually(async () => {
      const response = await fetch(`http://127.0.0.1:${consolePort}/api/invocations?function=${encodeURIComponent(consumer)}`);
      const { invocations } = (await response.json()) as { invocations: InvocationRecord[] };
      return invocations.find((invocation) => invocation.summary.includes(id));
    }, 30_000, 250);
    expect({ functionName: record.functionName, qualifier: record.qualifier, trigger: record.trigger, ok: record.ok }).toEqual({
      functionName: consumer,
      qualifier: 'live',
      trigger: 'sqs',
      ok: true,
    });
  }, 60_000);
});
