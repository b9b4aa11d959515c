import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type Template, ofType, packageDir, packagedTemplate } from './packaged-templates';

/**
 * What reading the packaged templates and zips of a first deploy found (issue 17, section 5), each
 * kept fixed here: function timeouts sized to the copies, the destination's multipart clean-up,
 * bucket names unique per account and region, and zips that carry bundles and maps only.
 */
const FUNCTIONS = ['s3Copier', 'ec2Scheduler', 'snsNotifier', 'sqsConsumer'];
const fn = (template: Template, name: string) => {
  const id = `${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction`;
  const resource = template.Resources[id];
  if (!resource) throw new Error(`${id} is not in the template`);
  return resource.Properties;
};

describe('timeouts sized to the copies (up to 5 TiB, part by part)', () => {
  it.each(['dev', 'prod'])('gives s3Copier and sqsConsumer Lambda\'s longest timeout, 900 s, on %s', (stage) => {
    const template = packagedTemplate(stage);

    expect([fn(template, 's3Copier').Timeout, fn(template, 'sqsConsumer').Timeout]).toEqual([900, 900]);
  });

  it('keeps the short timeouts the suite relies on for the stages on this machine', () => {
    expect([fn(packagedTemplate('test'), 's3Copier').Timeout, fn(packagedTemplate('test'), 'sqsConsumer').Timeout]).toEqual([30, 3]);
    expect([fn(packagedTemplate('local'), 's3Copier').Timeout, fn(packagedTemplate('local'), 'sqsConsumer').Timeout]).toEqual([30, 10]);
  });
});

describe('the destination bucket', () => {
  it.each(['dev', 'prod'])('aborts incomplete multipart uploads after a day (%s)', (stage) => {
    const bucket = packagedTemplate(stage).Resources.DestinationBucket;

    expect(bucket?.Properties.LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'AbortIncompleteMultipartUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
    });
  });
});

describe('bucket names', () => {
  const names = (template: Template) => ofType(template, 'AWS::S3::Bucket').map(([id, bucket]) => [id, bucket.Properties.BucketName]);

  it.each(['dev', 'prod'])('carry the account id (resolved by CloudFormation) and the region on %s, so no two accounts or regions collide', (stage) => {
    expect(names(packagedTemplate(stage))).toEqual(
      expect.arrayContaining([
        ['S3BucketSource', { 'Fn::Sub': `messaging-workers-${stage}-source-\${AWS::AccountId}-us-east-1` }],
        ['DestinationBucket', { 'Fn::Sub': `messaging-workers-${stage}-destination-\${AWS::AccountId}-us-east-1` }],
      ]),
    );
  });

  it('leave no account id placeholder in any string of the deployed templates', () => {
    for (const stage of ['dev', 'prod']) expect(JSON.stringify(packagedTemplate(stage))).not.toMatch(/aws-account-id/);
  });

  it('keep their short names on the stages on this machine', () => {
    expect(names(packagedTemplate('test'))).toEqual(
      expect.arrayContaining([
        ['S3BucketSource', 'messaging-workers-test-source-local'],
        ['DestinationBucket', 'messaging-workers-test-destination-local'],
      ]),
    );
  });
});

describe('the function zips', () => {
  it.each(FUNCTIONS)('of %s (prod) carry the bundle, its chunks and their maps only: no .ts source', (name) => {
    const files = execFileSync('unzip', ['-Z1', join(packageDir('prod'), `${name}.zip`)], { encoding: 'utf8' }).split('\n').filter(Boolean);

    expect(files.length).toBeGreaterThan(2);
    expect(files.filter((file) => !/\.mjs(\.map)?$/.test(file))).toEqual([]);
  });
});
