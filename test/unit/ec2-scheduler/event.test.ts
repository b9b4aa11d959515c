import { parseScheduleEvent } from '../../../handlers/ec2-scheduler/event';
import { InvalidEventError } from '../../../handlers/platform/errors';
import { thrownBy } from '../support/errors';
import { readEvent } from '../support/events';

describe('parseScheduleEvent', () => {
  it('reads the start rule input as the start action', () => {
    const event = readEvent('schedule-start.json');

    const action = parseScheduleEvent(event);

    expect(action).toBe('start');
  });

  it('reads the stop rule input as the stop action', () => {
    const event = readEvent('schedule-stop.json');

    const action = parseScheduleEvent(event);

    expect(action).toBe('stop');
  });

  it('rejects an action other than start or stop, naming the field', () => {
    const event = { action: 'reboot' };

    const error = thrownBy(() => parseScheduleEvent(event));

    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).issues).toEqual([expect.stringMatching(/^action: /)]);
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

    const parse = () => parseScheduleEvent(event);

    expect(parse).toThrow(InvalidEventError);
  });
});
