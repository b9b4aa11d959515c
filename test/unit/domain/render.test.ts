import { type Notification, NotificationSchema } from '../../../handlers/domain/notifications/notification';
import { renderForSubscribers, subjectFor } from '../../../handlers/domain/notifications/render';

const notification = (overrides: Partial<Notification> = {}): Notification =>
  NotificationSchema.parse({ title: 'Disk almost full', message: '/var is 91% full', severity: 'warning', source: 'ops', ...overrides });

describe('renderForSubscribers', () => {
  it('renders a message for every protocol, default included', () => {
    const rendered = renderForSubscribers(notification());

    expect(Object.keys(rendered).sort()).toEqual(['default', 'email', 'email-json', 'http', 'https', 'lambda', 'sqs']);
  });

  it('gives functions and queues the notification as JSON', () => {
    const input = notification();

    const rendered = renderForSubscribers(input);

    expect(JSON.parse(rendered.lambda ?? '')).toEqual(input);
    expect(JSON.parse(rendered.sqs ?? '')).toEqual(input);
  });

  it('gives e-mail readable text with the severity, title, message and source', () => {
    const rendered = renderForSubscribers(notification());

    expect(rendered.email).toBe('[WARNING] Disk almost full\n\n/var is 91% full\n\nSource: ops');
  });

  it('adds the time and details to the e-mail text when the notification has them', () => {
    const rendered = renderForSubscribers(notification({ occurredAt: '2025-03-14T09:41:07Z', details: { mount: '/var' } }));

    expect(rendered.email).toContain('Occurred at: 2025-03-14T09:41:07Z');
    expect(rendered.email).toContain('Details:\n{\n  "mount": "/var"\n}');
  });

  it('gives webhooks a typed JSON document wrapping the notification', () => {
    const input = notification();

    const rendered = renderForSubscribers(input);

    expect(JSON.parse(rendered.https ?? '')).toEqual({ type: 'notification', notification: input });
  });
});

describe('subjectFor', () => {
  it('puts the severity before the title', () => {
    const subject = subjectFor(notification());

    expect(subject).toBe('[warning] Disk almost full');
  });

  it('cuts a long subject to 100 characters ending in an ellipsis', () => {
    const subject = subjectFor(notification({ title: 'x'.repeat(150) }));

    expect(subject).toHaveLength(100);
    expect(subject.endsWith('...')).toBe(true);
  });

  it('keeps a subject of exactly 100 characters whole', () => {
    const title = 'y'.repeat(100 - '[info] '.length);

    const subject = subjectFor(notification({ severity: 'info', title }));

    expect(subject).toBe(`[info] ${title}`);
  });

  it('replaces non-ASCII letters and line breaks so only printable ASCII remains', () => {
    const subject = subjectFor(notification({ title: 'Café 中文\nnext line 🚀' }));

    expect(subject).toMatch(/^[\x20-\x7E]+$/);
    expect(subject).toBe('[warning] Caf? ???next line ??');
  });
});
