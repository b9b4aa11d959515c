import type { Notification, Severity } from './notification';

/** What a person reads: a title, one sentence, and the facts worth a glance. */
export interface Description {
  title: string;
  summary: string;
  facts: [name: string, value: string][];
}

const list = (values: readonly string[], max = 10): string =>
  values.length <= max ? values.join(', ') : `${values.slice(0, max).join(', ')} and ${values.length - max} more`;
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Describes each notification type in words. */
export function describe(notification: Notification): Description {
  switch (notification.type) {
    case 'object-copied': {
      // A destination prefix makes the copy's key differ from the source's: say where it went.
      const renamed = notification.destinationKey !== undefined && notification.destinationKey !== notification.key;
      return {
        title: `Object copied: ${notification.key}`,
        summary: `${notification.key} was copied from ${notification.sourceBucket} to ${notification.destinationBucket}${renamed ? ` as ${notification.destinationKey}` : ''}.`,
        facts: [
          ['Key', notification.key],
          ['From', notification.sourceBucket],
          ['To', notification.destinationBucket],
          ...(renamed ? [['Copied as', notification.destinationKey ?? ''] as [string, string]] : []),
          ...(notification.versionId ? [['Version', notification.versionId] as [string, string]] : []),
        ],
      };
    }
    case 'copy-failed':
      return {
        title: `Copy failed: ${notification.key}`,
        summary: `${notification.key} could not be copied from ${notification.sourceBucket} to ${notification.destinationBucket}: ${notification.reason}`,
        facts: [
          ['Key', notification.key],
          ['From', notification.sourceBucket],
          ['To', notification.destinationBucket],
          ['Reason', notification.reason],
        ],
      };
    case 'instances-started':
    case 'instances-stopped': {
      const verb = notification.type === 'instances-started' ? 'started' : 'stopped';
      return {
        title: `${plural(notification.instanceIds.length, 'instance')} ${verb}`,
        summary: `The scheduler ${verb} ${list(notification.instanceIds)}.`,
        facts: [['Instances', list(notification.instanceIds)], ...(notification.schedule ? [['Schedule', notification.schedule] as [string, string]] : [])],
      };
    }
    case 'instances-failed':
      return {
        title: `Failed to ${notification.action} ${plural(notification.instanceIds.length, 'instance')}`,
        summary: `The scheduler could not ${notification.action} ${list(notification.instanceIds)}: ${notification.reason}`,
        facts: [
          ['Action', notification.action],
          ['Instances', list(notification.instanceIds)],
          ['Reason', notification.reason],
        ],
      };
    case 'volumes-cleaned-up':
      return {
        title: `${plural(notification.volumeIds.length, 'volume')} cleaned up`,
        summary: `Deleted unattached ${plural(notification.volumeIds.length, 'volume')}: ${list(notification.volumeIds)}${
          notification.freedGiB !== undefined ? `, freeing ${notification.freedGiB} GiB` : ''
        }.`,
        facts: [
          ['Volumes', list(notification.volumeIds)],
          ...(notification.freedGiB !== undefined ? [['Freed', `${notification.freedGiB} GiB`] as [string, string]] : []),
        ],
      };
    case 'scheduler-run':
    case 'volumes-report':
      // The scheduler's own account of the run: its title and text.
      return { title: notification.title, summary: notification.text, facts: [['Dry run', notification.dryRun ? 'yes' : 'no']] };
    case 'job-dead-lettered': {
      const job = [notification.jobType ?? 'job', notification.jobId].filter(Boolean).join(' ');
      return {
        title: `Job dead-lettered: ${job}`,
        summary: `${job} failed ${plural(notification.receiveCount, 'time')} on ${notification.queue} and went to its dead-letter queue: ${notification.reason}`,
        facts: [
          ['Queue', notification.queue],
          ['Message', notification.messageId],
          ['Attempts', String(notification.receiveCount)],
          ['Reason', notification.reason],
        ],
      };
    }
    case 'alarm-raised':
      return {
        title: `Alarm ${notification.alarmName} is ${notification.state}`,
        summary: notification.description ? `${notification.description} ${notification.reason}` : notification.reason,
        facts: [
          ['Alarm', notification.alarmName],
          ['State', notification.previousState ? `${notification.previousState} -> ${notification.state}` : notification.state],
          ...(notification.region ? [['Region', notification.region] as [string, string]] : []),
        ],
      };
  }
}

/** The readable text for e-mail, the log and any protocol without its own shape. */
export function renderText(notification: Notification): string {
  const { title, summary, facts } = describe(notification);
  return [
    `[${notification.severity.toUpperCase()}] ${title}`,
    '',
    summary,
    '',
    ...facts.map(([name, value]) => `${name}: ${value}`),
    `Source: ${notification.source}`,
    `Occurred at: ${notification.occurredAt}`,
    `Notification id: ${notification.id}`,
  ].join('\n');
}

export const SMS_MAX_LENGTH = 140;

/** A short text for SMS: severity and title, cut to fit one message. */
export function renderSms(notification: Notification): string {
  const text = `[${notification.severity.toUpperCase()}] ${describe(notification).title}`;
  return text.length > SMS_MAX_LENGTH ? `${text.slice(0, SMS_MAX_LENGTH - 3)}...` : text;
}

/** SNS subjects (the e-mail subject) are at most 100 printable ASCII characters with no line breaks. */
export function subjectFor(notification: Notification): string {
  const ascii = `[${notification.severity}] ${describe(notification).title}`.replace(/[^\x20-\x7E]/g, '?');
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}

/**
 * One message per protocol, as SNS's `MessageStructure: json` expects: functions and queues get
 * the notification as JSON, e-mail readable text (the subject is the Publish subject), SMS a short
 * text. `default` is required by SNS and serves any other protocol.
 */
export function renderForSubscribers(notification: Notification): Record<string, string> {
  const json = JSON.stringify(notification);
  const text = renderText(notification);
  return { default: text, email: text, 'email-json': json, sms: renderSms(notification), sqs: json, lambda: json, http: json, https: json };
}

const escapeSlack = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 3)}...` : text);
const SLACK_EMOJI: Record<Severity, string> = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' };

/** A Slack incoming-webhook message: `text` for notifications and clients without blocks, blocks for the rest. */
export function slackMessage(notification: Notification): Record<string, unknown> {
  const { title, summary, facts } = describe(notification);
  return {
    text: cut(escapeSlack(`${SLACK_EMOJI[notification.severity]} [${notification.severity.toUpperCase()}] ${title}`), 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(title, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: cut(escapeSlack(summary), 3000) } },
      ...(facts.length > 0
        ? [{ type: 'section', fields: facts.slice(0, 10).map(([name, value]) => ({ type: 'mrkdwn', text: cut(`*${escapeSlack(name)}*\n${escapeSlack(value)}`, 2000) })) }]
        : []),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: escapeSlack(`${notification.severity} | ${notification.source} | ${notification.occurredAt} | ${notification.id}`) }],
      },
    ],
  };
}

const TEAMS_COLOR: Record<Severity, string> = { info: 'Default', warning: 'Warning', critical: 'Attention' };

/** A Microsoft Teams webhook (Workflows) message: one Adaptive Card. */
export function teamsMessage(notification: Notification): Record<string, unknown> {
  const { title, summary, facts } = describe(notification);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true, color: TEAMS_COLOR[notification.severity] },
            { type: 'TextBlock', text: summary, wrap: true },
            {
              type: 'FactSet',
              facts: [...facts, ['Severity', notification.severity], ['Source', notification.source], ['Occurred at', notification.occurredAt], ['Id', notification.id]].map(
                ([name, value]) => ({ title: name, value }),
              ),
            },
          ],
        },
      },
    ],
  };
}
