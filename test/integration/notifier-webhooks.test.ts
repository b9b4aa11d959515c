import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { publishNotification } from '../../handlers/domain/notifications/publish';
import { ROOT } from '../../shared/stage-env';
import { eventually, uniqueId } from '../support/local-aws';
import { isolatedPorts, jsonLines, spawnStack, type StackProcess } from '../support/stack-process';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

/**
 * snsNotifier delivering to webhooks, on a local AWS and sls offline of their own (stage test, on
 * ports 204 above the shared stack's) whose WEBHOOK_URLS point at a receiver this test starts on
 * 127.0.0.1. The receiver answers per notification: `ok`, `flaky` (503 twice, then 200) or `down`
 * (always 500).
 */
const ports = isolatedPorts(Number(new URL(process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4576').port) + 204);
const aws = { region: 'us-east-1', endpoint: ports.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const sns = new SNSClient(aws);
const sqs = new SQSClient(aws);
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:messaging-workers-test-notifications';
const ALARMS_TOPIC = 'arn:aws:sns:us-east-1:000000000000:messaging-workers-test-alarms';
/** The secret parts of the webhook URLs, as in real Slack and Teams webhook URLs. */
const SECRETS = { slack: `T000-B000-${randomUUID()}`, teams: `teams-${randomUUID()}` };
const SLACK_PATH = `/services/${SECRETS.slack}`;
const TEAMS_PATH = `/workflows/${SECRETS.teams}`;

type Mode = 'ok' | 'flaky' | 'down';
const modes = new Map<string, Mode>();
let receiver: WebhookReceiver;
let stack: StackProcess;

beforeAll(async () => {
  receiver = await startWebhookReceiver((_path, body, earlier) => {
    const text = JSON.stringify(body);
    const mode = [...modes.entries()].find(([id]) => text.includes(id))?.[1] ?? 'ok';
    if (mode === 'down') return 500;
    if (mode === 'flaky') return earlier < 2 ? 503 : 200;
    return 200;
  });
  const webhookUrls = `${receiver.url}${SLACK_PATH},teams=${receiver.url}${TEAMS_PATH}`;
  stack = spawnStack('test', join(ROOT, '.local-aws', 'notifier-webhooks-run.log'), { ...ports.env, WEBHOOK_URLS: webhookUrls });
  await stack.waitForLog('LOCAL_AWS_READY');
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

const requestsFor = (id: string, path: string) => receiver.requests.filter((r) => r.path === path && JSON.stringify(r.body).includes(id));
const lines = () => jsonLines(stack.logFile);
const publish = async (mode: Mode) => {
  const id = uniqueId(mode);
  modes.set(id, mode);
  await publishNotification(sns, TOPIC, { type: 'instances-started', id, source: 'integration-test', instanceIds: ['i-0123456789abcdef0'], schedule: 'office-hours' });
  return id;
};

describe('snsNotifier delivering to webhooks', () => {
  it('posts the rendered notification to a Slack-style and a Teams-style webhook, once each', async () => {
    const id = await publish('ok');

    await eventually(() => requestsFor(id, SLACK_PATH).length === 1 && requestsFor(id, TEAMS_PATH).length === 1, 60_000);
    expect(requestsFor(id, SLACK_PATH)[0]).toMatchObject({ status: 200, body: { text: expect.stringContaining('1 instance started'), blocks: expect.any(Array) } });
    expect(requestsFor(id, TEAMS_PATH)[0]).toMatchObject({
      status: 200,
      body: { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }] },
    });
  });

  it('delivers to a receiver that fails twice on the third attempt, exactly once successfully', async () => {
    const id = await publish('flaky');

    const delivered = await eventually(() => {
      const found = lines().filter((line) => line.message === 'Notification delivered' && line.notificationId === id);
      return found.length === 2 && found;
    }, 60_000);

    expect(delivered.map((line) => line.attempts)).toEqual([3, 3]);
    for (const path of [SLACK_PATH, TEAMS_PATH]) expect(requestsFor(id, path).map((r) => r.status)).toEqual([503, 503, 200]);
    expect(lines().filter((line) => line.message === 'Notification delivery failed' && line.notificationId === id)).toEqual([]);
  });

  it('sends a notification a receiver always refuses to the on-failure destination, after Lambda\'s retries', async () => {
    const id = await publish('down');
    const { QueueUrl = '' } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'messaging-workers-test-async-failures' }));

    const record = await eventually(async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 600 }));
      return Messages.find((message) => message.Body?.includes(id));
    }, 150_000);

    const failure = JSON.parse(record.Body ?? '{}') as { requestContext: { condition: string; approximateInvokeCount: number }; responsePayload: { errorMessage: string } };
    expect(failure.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    expect(failure.responsePayload.errorMessage).toContain('DeliveryFailedError');
    expect(requestsFor(id, TEAMS_PATH).map((r) => r.status)).toEqual(Array(9).fill(500));
    expect(record.Body).not.toContain(SECRETS.slack);
    expect(record.Body).not.toContain(SECRETS.teams);
  }, 200_000);

  it('delivers an alarm of the alarms topic to the webhooks', async () => {
    const alarmName = uniqueId('alarm');

    await sns.send(
      new PublishCommand({
        TopicArn: ALARMS_TOPIC,
        Message: JSON.stringify({ AlarmName: alarmName, NewStateValue: 'ALARM', NewStateReason: 'Threshold Crossed', OldStateValue: 'OK', StateChangeTime: '2025-03-14T09:41:07.352+0000' }),
      }),
    );

    await eventually(() => requestsFor(alarmName, SLACK_PATH).length === 1, 60_000);
    expect(requestsFor(alarmName, SLACK_PATH)[0]?.body).toMatchObject({ text: expect.stringContaining(`Alarm ${alarmName} is ALARM`) });
  });

  it('never writes a webhook URL to the log', async () => {
    await eventually(() => lines().some((line) => line.message === 'Notification delivery failed'), 60_000);

    const log = readFileSync(stack.logFile, 'utf8');

    expect(log).toContain('Notification delivered');
    expect(log).not.toContain(SECRETS.slack);
    expect(log).not.toContain(SECRETS.teams);
  });
});
