import { bucketName, loadConfig, requiredString } from '../../../handlers/platform/config';
import { ConfigurationError } from '../../../handlers/platform/errors';
import * as z from '../../../handlers/platform/zod';
import { thrownBy } from '../support/errors';

const schema = z.object({
  DEST_BUCKET: bucketName,
  SCHEDULE_TAG_KEY: z._default(requiredString, 'Schedule'),
});

describe('loadConfig', () => {
  it('returns the validated variables', () => {
    const env = { DEST_BUCKET: 'messaging-workers-local-destination-local', SCHEDULE_TAG_KEY: 'Team' };

    const config = loadConfig(schema, env);

    expect(config).toEqual({ DEST_BUCKET: 'messaging-workers-local-destination-local', SCHEDULE_TAG_KEY: 'Team' });
  });

  it('applies the default of a variable that is not set', () => {
    const env = { DEST_BUCKET: 'messaging-workers-local-destination-local' };

    const config = loadConfig(schema, env);

    expect(config.SCHEDULE_TAG_KEY).toBe('Schedule');
  });

  it('says a missing variable is required', () => {
    const env = {};

    const error = thrownBy(() => loadConfig(schema, env));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toContain('DEST_BUCKET is required');
  });

  it('lists the missing variable in the error', () => {
    const env = {};

    const error = thrownBy(() => loadConfig(schema, env));

    expect((error as ConfigurationError).variables).toEqual(['DEST_BUCKET']);
  });

  it('names a variable with a bad value and what is wrong with it', () => {
    const env = { DEST_BUCKET: 'Not_A_Bucket' };

    const error = thrownBy(() => loadConfig(schema, env));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toContain('DEST_BUCKET: must be a valid S3 bucket name');
    expect((error as ConfigurationError).variables).toEqual(['DEST_BUCKET']);
  });

  it('reports an empty variable as empty, not as missing', () => {
    const env = { DEST_BUCKET: 'messaging-workers-local-destination-local', SCHEDULE_TAG_KEY: '  ' };

    const error = thrownBy(() => loadConfig(schema, env));

    expect((error as ConfigurationError).message).toContain('SCHEDULE_TAG_KEY: must not be empty');
  });

  it('names every bad variable at once', () => {
    const twoRequired = z.object({ DEST_BUCKET: bucketName, NOTIFICATIONS_TOPIC_ARN: requiredString });

    const error = thrownBy(() => loadConfig(twoRequired, {}));

    expect((error as ConfigurationError).variables).toEqual(['DEST_BUCKET', 'NOTIFICATIONS_TOPIC_ARN']);
    expect((error as ConfigurationError).message).toBe(
      'Invalid configuration: DEST_BUCKET is required; NOTIFICATIONS_TOPIC_ARN is required',
    );
  });
});
