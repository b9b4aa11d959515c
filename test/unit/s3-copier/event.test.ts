import type { S3Event } from 'aws-lambda';
import { parseS3Event } from '../../../handlers/s3-copier/event';
import { InvalidEventError } from '../../../handlers/platform/errors';
import { thrownBy } from '../support/errors';
import { readEvent } from '../support/events';

describe('parseS3Event', () => {
  it('returns each created object with its key decoded', () => {
    const event = readEvent<S3Event>('s3-put-unicode-key.json');

    const objects = parseS3Event(event);

    expect(objects).toEqual([
      {
        bucket: 'messaging-workers-local-source-local',
        key: 'reports/my file 中文.txt',
        versionId: undefined,
        eventName: 'ObjectCreated:Put',
        sequencer: '0067D3F5DD8A2B1C4E',
      },
    ]);
  });

  it('passes on the version id of a versioned object', () => {
    const event = readEvent<S3Event>('s3-put-unicode-key.json');
    const record = event.Records[0];
    if (!record) throw new Error('fixture has no record');
    record.s3.object.versionId = '096fKKXTRTtl3on89fVO.nfljtsv6qko';

    const [object] = parseS3Event(event);

    expect(object?.versionId).toBe('096fKKXTRTtl3on89fVO.nfljtsv6qko');
  });

  it('rejects an event of another trigger with InvalidEventError', () => {
    const event = readEvent('sns-object-copied.json');

    const parse = () => parseS3Event(event);

    expect(parse).toThrow(InvalidEventError);
  });

  it('names what is wrong in the issues of the error', () => {
    const event = { Records: [{ eventSource: 'aws:sqs' }] };

    const error = thrownBy(() => parseS3Event(event));

    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).issues).toEqual(expect.arrayContaining([expect.stringMatching(/^Records\.0\.eventSource: /)]));
  });
});
