import { spawnSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { ROOT } from '../../shared/stage-env';
import { COPY_KMS_KEY, type Template, packagedTemplate, templatePath } from './packaged-templates';

/**
 * The copier's trigger and settings on prod, plain and with a KMS key and source filters
 * (`prod-copy-kms`). What its role may call, with and without the key, is evaluated by the IAM
 * engine (test/infra/iam: the copying rows of the call tables).
 */
const plain = (): Template => packagedTemplate('prod');
const withKmsAndFilters = (): Template => packagedTemplate('prod-copy-kms');

describe('the copier\'s trigger and configuration', () => {
  it('pass cfn-lint with a KMS key and source filters configured', () => {
    const result = spawnSync('cfn-lint', [templatePath('prod-copy-kms')], { cwd: ROOT, encoding: 'utf8' });

    expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
  });

  const copierOf = (template: Template) => template.Resources.S3CopierLambdaFunction?.Properties.Environment as { Variables: Record<string, unknown> };
  const notificationsOf = (template: Template) =>
    Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::S3::Bucket' && isDeepStrictEqual(resource.Properties.BucketName, copierOf(template).Variables.SOURCE_BUCKET))
      .flatMap((bucket) => (bucket.Properties.NotificationConfiguration as { LambdaConfigurations: { Filter?: unknown }[] }).LambdaConfigurations);

  it('filters the trigger by the source prefix and suffix when they are set, and tells the function', () => {
    expect(notificationsOf(withKmsAndFilters()).map((configuration) => configuration.Filter)).toEqual([
      { S3Key: { Rules: [{ Name: 'prefix', Value: 'incoming/' }, { Name: 'suffix', Value: '.csv' }] } },
    ]);
    expect(copierOf(withKmsAndFilters()).Variables).toMatchObject({ SOURCE_PREFIX: 'incoming/', SOURCE_SUFFIX: '.csv', DEST_SSE: 'aws:kms', DEST_SSE_KMS_KEY_ID: COPY_KMS_KEY });
  });

  it('has no filter when none is set (not even an empty one)', () => {
    expect(notificationsOf(plain()).map((configuration) => configuration.Filter)).toEqual([undefined]);
  });

  it('gives the copy-object job the same copy settings as s3Copier', () => {
    const consumer = (plain().Resources.SqsConsumerLambdaFunction?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const copier = copierOf(plain()).Variables;
    const copyVariables = ['DEST_BUCKET', 'DEST_PREFIX', 'COPY_MULTIPART_THRESHOLD', 'COPY_PART_SIZE', 'COPY_PART_CONCURRENCY', 'DEST_SSE', 'DEST_SSE_KMS_KEY_ID', 'DEST_STORAGE_CLASS'];

    expect(Object.fromEntries(copyVariables.map((name) => [name, consumer[name]]))).toEqual(Object.fromEntries(copyVariables.map((name) => [name, copier[name]])));
  });
});
