import { parseSchedulerEvent } from '../../../handlers/ec2-scheduler/event';
import { InvalidEventError } from '../../../handlers/platform/errors';
import { thrownBy } from '../support/errors';

const issuesOf = (event: unknown): readonly string[] => {
  const error = thrownBy(() => parseSchedulerEvent(event));
  expect(error).toBeInstanceOf(InvalidEventError);
  return (error as InvalidEventError).issues;
};

describe('parseSchedulerEvent', () => {
  it('reads the reconcile rule input', () => {
    expect(parseSchedulerEvent({ action: 'reconcile' })).toEqual({ action: 'reconcile' });
  });

  it('reads an explicit stop of instance ids, as a dry run', () => {
    const event = { action: 'stop', instanceIds: ['i-0123456789abcdef0'], dryRun: true };

    expect(parseSchedulerEvent(event)).toEqual(event);
  });

  it('rejects an action other than the four, naming the field', () => {
    expect(issuesOf({ action: 'reboot' })).toEqual([expect.stringMatching(/^action: /)]);
  });

  it('rejects an explicit stop that selects nothing, rather than stopping everything', () => {
    expect(issuesOf({ action: 'stop' })).toEqual(['action: an explicit stop needs a selector: schedule, tag or instanceIds']);
  });

  it('rejects a selector on reconcile (it looks at every scheduled instance)', () => {
    expect(issuesOf({ action: 'reconcile', schedule: 'office-hours' })).toEqual(['schedule: applies only to an explicit start or stop, not to reconcile']);
  });

  it('rejects a malformed instance id and an unknown field', () => {
    expect(issuesOf({ action: 'start', instanceIds: ['web-1'] })).toEqual(['instanceIds.0: must be an instance id (i-0123456789abcdef0)']);
    expect(issuesOf({ action: 'start', schedule: 'x', force: true })).toEqual([expect.stringMatching(/force/)]);
  });

  it('rejects a raw EventBridge scheduled event that carries no input', () => {
    const event = {
      version: '0',
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2025-03-14T07:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/messaging-workers-local-start'],
      detail: {},
    };

    expect(() => parseSchedulerEvent(event)).toThrow(InvalidEventError);
  });
});
