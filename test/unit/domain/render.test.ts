import { completeNotification, NOTIFICATION_TYPES, type Notification } from '../../../handlers/domain/notifications/notification';
import { describe as describeNotification, renderForSubscribers, renderSms, renderText, slackMessage, subjectFor, teamsMessage } from '../../../handlers/domain/notifications/render';
import { parseSnsEvent } from '../../../handlers/sns-notifier/event';
import { objectCopied, snsEventOf } from '../support/notifications';

/** The notification of each sample event, one per type. */
const samples: Notification[] = NOTIFICATION_TYPES.map((type) => {
  const [received] = parseSnsEvent(snsEventOf(type));
  if (!received?.notification) throw new Error(`events/sns-${type}.json holds no notification`);
  return received.notification;
});

describe('renderForSubscribers', () => {
  it('renders a message for every protocol, default included', () => {
    const rendered = renderForSubscribers(objectCopied());

    expect(Object.keys(rendered).sort()).toEqual(['default', 'email', 'email-json', 'http', 'https', 'lambda', 'sms', 'sqs']);
  });

  it('gives functions and queues the whole notification as JSON', () => {
    const notification = objectCopied();

    const rendered = renderForSubscribers(notification);

    expect(JSON.parse(rendered.lambda ?? '')).toEqual(notification);
    expect(JSON.parse(rendered.sqs ?? '')).toEqual(notification);
  });

  it('gives e-mail the readable text: severity, title, summary, facts, source, time and id', () => {
    const rendered = renderForSubscribers(objectCopied());

    expect(rendered.email).toBe(
      [
        '[INFO] Object copied: reports/my file.txt',
        '',
        'reports/my file.txt was copied from messaging-workers-local-source-local to messaging-workers-local-destination-local.',
        '',
        'Key: reports/my file.txt',
        'From: messaging-workers-local-source-local',
        'To: messaging-workers-local-destination-local',
        'Source: s3Copier',
        'Occurred at: 2025-03-14T09:41:07.352Z',
        'Notification id: n-1',
      ].join('\n'),
    );
  });
});

describe.each(samples.map((notification) => [notification.type, notification] as const))('rendering %s', (_type, notification) => {
  it('has a title, a summary and the text names the source and id', () => {
    const { title, summary } = describeNotification(notification);

    expect(title.length).toBeGreaterThan(0);
    expect(summary.length).toBeGreaterThan(0);
    expect(renderText(notification)).toContain(`Source: ${notification.source}\nOccurred at: ${notification.occurredAt}\nNotification id: ${notification.id}`);
  });

  it('fits an SMS in 140 characters and a subject in 100 printable ASCII characters', () => {
    expect(renderSms(notification).length).toBeLessThanOrEqual(140);
    expect(subjectFor(notification)).toMatch(/^[\x20-\x7E]{1,100}$/);
  });

  it('makes a Slack message with fallback text and blocks, and a Teams Adaptive Card', () => {
    const slack = slackMessage(notification) as { text: string; blocks: { type: string }[] };
    const teams = teamsMessage(notification) as { attachments: { contentType: string; content: { type: string; body: unknown[] } }[] };

    expect(slack.text).toContain(describeNotification(notification).title.slice(0, 20));
    expect(slack.blocks.map((block) => block.type)).toEqual(expect.arrayContaining(['header', 'section', 'context']));
    expect(teams.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(teams.attachments[0]?.content.type).toBe('AdaptiveCard');
  });
});

describe('describing a notification', () => {
  it('lists at most ten instances and counts the rest', () => {
    const instanceIds = Array.from({ length: 12 }, (_, i) => `i-${String(i).padStart(17, '0')}`);

    const { summary } = describeNotification(completeNotification({ type: 'instances-stopped', instanceIds }));

    expect(summary).toBe(`The scheduler stopped ${instanceIds.slice(0, 10).join(', ')} and 2 more.`);
  });

  it('names the key of the copy when a destination prefix changed it', () => {
    const described = describeNotification(objectCopied({ destinationKey: 'mirror/reports/my file.txt' }));

    expect(described.summary).toBe(
      'reports/my file.txt was copied from messaging-workers-local-source-local to messaging-workers-local-destination-local as mirror/reports/my file.txt.',
    );
    expect(described.facts).toContainEqual(['Copied as', 'mirror/reports/my file.txt']);
  });

  it('words a dead-lettered job with its type, id, attempts, queue and reason', () => {
    const notification = completeNotification({
      type: 'job-dead-lettered',
      queue: 'work',
      messageId: 'm-1',
      jobType: 'canary',
      jobId: 'poison',
      receiveCount: 3,
      reason: 'boom',
    });

    expect(describeNotification(notification).summary).toBe('canary poison failed 3 times on work and went to its dead-letter queue: boom');
  });
});

describe('subjectFor and renderSms', () => {
  it('cut a long title: the subject to 100 characters, the SMS to 140, both ending in an ellipsis', () => {
    const notification = objectCopied({ key: 'k'.repeat(300) } as never);

    const subject = subjectFor(notification);
    const sms = renderSms(notification);

    expect([subject.length, subject.endsWith('...')]).toEqual([100, true]);
    expect([sms.length, sms.endsWith('...')]).toEqual([140, true]);
  });

  it('replace non-ASCII letters in the subject so only printable ASCII remains', () => {
    const subject = subjectFor(objectCopied({ key: 'Café 中文\nnext 🚀' } as never));

    expect(subject).toMatch(/^[\x20-\x7E]+$/);
    expect(subject).toBe('[info] Object copied: Caf? ???next ??');
  });
});

describe('slackMessage', () => {
  it('escapes the characters Slack treats as markup', () => {
    const slack = slackMessage(objectCopied({ key: 'a<b>&c' } as never)) as { text: string };

    expect(slack.text).toContain('a&lt;b&gt;&amp;c');
  });
});
