import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../local-aws/stage-env';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type Resource = { Type: string; Properties: Record<string, unknown>; Condition?: string };
type Template = { Resources: Record<string, Resource>; Parameters?: Record<string, { Default?: unknown }>; Conditions?: Record<string, unknown> };
type Target = 'source object' | 'destination object' | 'source bucket' | 'destination bucket' | 'KMS key';

/**
 * Every S3 call the domain copier (handlers/domain/copying/) makes, and the IAM actions AWS requires
 * for it, from the "Permissions" section of each call in the Amazon S3 API Reference:
 * - HeadObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html): s3:GetObject,
 *   s3:GetObjectVersion for a version id; without s3:ListBucket a missing key answers 403, not 404
 *   (the copier needs the 404 to tell a deleted source, and a destination not copied yet).
 * - CopyObject (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html): read access to
 *   the source (s3:GetObject, s3:GetObjectVersion for a version), write access to the destination
 *   (s3:PutObject); tags are copied, which needs s3:GetObjectTagging (s3:GetObjectVersionTagging)
 *   on the source and s3:PutObjectTagging on the destination (User Guide, "Copying objects").
 * - GetObjectTagging (…/API_GetObjectTagging.html): s3:GetObjectTagging, s3:GetObjectVersionTagging for a version.
 * - CreateMultipartUpload (…/API_CreateMultipartUpload.html): s3:PutObject, and s3:PutObjectTagging
 *   for its Tagging; with a KMS key, kms:GenerateDataKey and kms:Decrypt.
 * - UploadPartCopy (…/API_UploadPartCopy.html): s3:GetObject (s3:GetObjectVersion) on the source,
 *   s3:PutObject on the destination; with a KMS key, kms:Decrypt and kms:GenerateDataKey.
 * - CompleteMultipartUpload (…/API_CompleteMultipartUpload.html): s3:PutObject; KMS: kms:Decrypt.
 * - AbortMultipartUpload (…/API_AbortMultipartUpload.html): s3:AbortMultipartUpload.
 * - ListParts (…/API_ListParts.html), the check after an abort: s3:ListMultipartUploadParts.
 */
const REQUIRED: Record<string, [string, Target][]> = {
  HeadObject: [
    ['s3:GetObject', 'source object'],
    ['s3:GetObjectVersion', 'source object'],
    ['s3:ListBucket', 'source bucket'],
    ['s3:GetObject', 'destination object'],
    ['s3:ListBucket', 'destination bucket'],
  ],
  CopyObject: [
    ['s3:GetObject', 'source object'],
    ['s3:GetObjectVersion', 'source object'],
    ['s3:GetObjectTagging', 'source object'],
    ['s3:GetObjectVersionTagging', 'source object'],
    ['s3:PutObject', 'destination object'],
    ['s3:PutObjectTagging', 'destination object'],
  ],
  GetObjectTagging: [
    ['s3:GetObjectTagging', 'source object'],
    ['s3:GetObjectVersionTagging', 'source object'],
  ],
  CreateMultipartUpload: [
    ['s3:PutObject', 'destination object'],
    ['s3:PutObjectTagging', 'destination object'],
  ],
  UploadPartCopy: [
    ['s3:GetObject', 'source object'],
    ['s3:GetObjectVersion', 'source object'],
    ['s3:PutObject', 'destination object'],
  ],
  CompleteMultipartUpload: [['s3:PutObject', 'destination object']],
  AbortMultipartUpload: [['s3:AbortMultipartUpload', 'destination object']],
  ListParts: [['s3:ListMultipartUploadParts', 'destination object']],
};
/** With copies encrypted by a customer managed key (copyEncryption aws:kms, copyKmsKeyArn). */
const REQUIRED_WITH_KMS_KEY: [string, Target][] = [
  ['kms:GenerateDataKey', 'KMS key'],
  ['kms:Decrypt', 'KMS key'],
];
const KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
// Bucket names carry the account id CloudFormation resolves (deploy/tidy-template.ts) and the region.
const BUCKETS = { source: 'messaging-workers-prod-source-${AWS::AccountId}-us-east-1', destination: 'messaging-workers-prod-destination-${AWS::AccountId}-us-east-1' };
/** A name as the template holds it: a string, or the text of its Fn::Sub. */
const nameOf = (value: unknown) => (typeof value === 'string' ? value : (value as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub']);
const ROLES = ['S3CopierRole', 'SqsConsumerRole'];

const packagedPath = (label: string) => join(ROOT, '.local-aws', `package-copy-${label}`, 'cloudformation-template-update-stack.json');

function packageProd(label: string, params: string[]): Template {
  const dir = join('.local-aws', `package-copy-${label}`);
  const workFolder = join('.esbuild', `package-copy-${label}-${process.pid}`);
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'sls'), ['package', '--stage', 'prod', '--package', dir, ...params.map((param) => `--param=${param}`)], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ESBUILD_WORK_FOLDER: workFolder },
  });
  rmSync(join(ROOT, workFolder), { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`sls package failed:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(readFileSync(packagedPath(label), 'utf8')) as Template;
}

/** The resource a statement names, as the ARN it stands for (Fn::Sub with the partition resolved). */
function resourceArns(resource: unknown): string[] {
  return ([] as unknown[]).concat(resource).map((entry) => {
    if (typeof entry === 'string') return entry;
    const sub = (entry as { 'Fn::Sub'?: string })['Fn::Sub'];
    if (typeof sub === 'string') return sub.replace('${AWS::Partition}', 'aws');
    const ref = (entry as { Ref?: string }).Ref;
    return ref === 'CopyKmsKeyArn' ? KMS_KEY : JSON.stringify(entry);
  });
}

/** Whether a resource is in the stack: no condition, or one of the form "parameter P is not ''" that holds. */
function isActive(template: Template, resource: Resource): boolean {
  if (!resource.Condition) return true;
  const condition = template.Conditions?.[resource.Condition] as { 'Fn::Not'?: [{ 'Fn::Equals'?: [{ Ref?: string }, string] }] } | undefined;
  const [reference, empty] = condition?.['Fn::Not']?.[0]['Fn::Equals'] ?? [];
  if (!reference?.Ref || empty !== '') throw new Error(`condition ${resource.Condition} is not of a form this test reads`);
  return template.Parameters?.[reference.Ref]?.Default !== '';
}

/** Every Allow statement of a role: its inline policies and the policies attached to it (if in the stack). */
function statementsOf(template: Template, role: string): Statement[] {
  const inline = ((template.Resources[role]?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((policy) => policy.PolicyDocument.Statement);
  const attachedTo = (resource: Resource) =>
    resource.Type === 'AWS::IAM::Policy'
      ? ((resource.Properties.Roles ?? []) as { Ref?: string }[]).some((ref) => ref.Ref === role)
      : resource.Type === 'AWS::IAM::RolePolicy' && (resource.Properties.RoleName as { Ref?: string } | undefined)?.Ref === role;
  const attached = Object.values(template.Resources)
    .filter((resource) => attachedTo(resource) && isActive(template, resource))
    .flatMap((resource) => (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  return [...inline, ...attached].filter((statement) => statement.Effect === 'Allow');
}

const arnOf = (target: Target): string =>
  ({
    'source object': `arn:aws:s3:::${BUCKETS.source}/*`,
    'destination object': `arn:aws:s3:::${BUCKETS.destination}/*`,
    'source bucket': `arn:aws:s3:::${BUCKETS.source}`,
    'destination bucket': `arn:aws:s3:::${BUCKETS.destination}`,
    'KMS key': KMS_KEY,
  })[target];

/** The [call, action, target] the role lacks. */
function missing(template: Template, role: string, required: [string, [string, Target][]][]): string[] {
  const statements = statementsOf(template, role);
  return required.flatMap(([call, needs]) =>
    needs
      .filter(([action, target]) => !statements.some((statement) => ([] as string[]).concat(statement.Action).includes(action) && resourceArns(statement.Resource).includes(arnOf(target))))
      .map(([action, target]) => `${call}: ${action} on ${target}`),
  );
}

let plain: Template;
let withKmsAndFilters: Template;

beforeAll(() => {
  plain = packageProd('plain', []);
  withKmsAndFilters = packageProd('kms', ['copyEncryption=aws:kms', `copyKmsKeyArn=${KMS_KEY}`, 'copySourcePrefix=incoming/', 'copySourceSuffix=.csv']);
}, 240_000);

describe('the copier\'s permissions', () => {
  it('map every S3 call the domain copier makes to the IAM actions it needs', () => {
    const folder = join(ROOT, 'handlers', 'domain', 'copying');
    const source = readdirSync(folder).map((file) => readFileSync(join(folder, file), 'utf8')).join('\n');

    const calls = new Set([...source.matchAll(/new (\w+)Command\(/g)].map((match) => match[1]));

    expect([...calls].sort()).toEqual(Object.keys(REQUIRED).sort());
  });

  it.each(ROLES)('are all in %s (s3Copier, and sqsConsumer for the copy-object job)', (role) => {
    expect(missing(plain, role, Object.entries(REQUIRED))).toEqual([]);
  });

  it.each(ROLES)('include the KMS key of the copies in %s when one is configured, and no grant on it otherwise', (role) => {
    expect(missing(withKmsAndFilters, role, [['copy with a KMS key', REQUIRED_WITH_KMS_KEY]])).toEqual([]);
    expect(statementsOf(plain, role).filter((statement) => resourceArns(statement.Resource).includes(KMS_KEY))).toEqual([]);
  });

  it('would catch a role without one of them', () => {
    const trimmed: Template = JSON.parse(JSON.stringify(plain)) as Template;
    const policies = trimmed.Resources.S3CopierRole?.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
    for (const policy of policies)
      for (const statement of policy.PolicyDocument.Statement) statement.Action = ([] as string[]).concat(statement.Action).filter((action) => action !== 's3:GetObjectVersionTagging');

    expect(missing(trimmed, 'S3CopierRole', Object.entries(REQUIRED))).toEqual(['CopyObject: s3:GetObjectVersionTagging on source object', 'GetObjectTagging: s3:GetObjectVersionTagging on source object']);
  });
});

describe('the copier\'s trigger and configuration', () => {
  it('pass cfn-lint with a KMS key and source filters configured', () => {
    const result = spawnSync('cfn-lint', [packagedPath('kms')], { cwd: ROOT, encoding: 'utf8' });

    expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
  });

  const copierOf = (template: Template) => template.Resources.S3CopierLambdaFunction?.Properties.Environment as { Variables: Record<string, unknown> };
  const notificationsOf = (template: Template) =>
    Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::S3::Bucket' && nameOf(resource.Properties.BucketName) === BUCKETS.source)
      .flatMap((bucket) => (bucket.Properties.NotificationConfiguration as { LambdaConfigurations: { Filter?: unknown }[] }).LambdaConfigurations);

  it('filters the trigger by the source prefix and suffix when they are set, and tells the function', () => {
    expect(notificationsOf(withKmsAndFilters).map((configuration) => configuration.Filter)).toEqual([
      { S3Key: { Rules: [{ Name: 'prefix', Value: 'incoming/' }, { Name: 'suffix', Value: '.csv' }] } },
    ]);
    expect(copierOf(withKmsAndFilters).Variables).toMatchObject({ SOURCE_PREFIX: 'incoming/', SOURCE_SUFFIX: '.csv', DEST_SSE: 'aws:kms', DEST_SSE_KMS_KEY_ID: KMS_KEY });
  });

  it('has no filter when none is set (not even an empty one)', () => {
    expect(notificationsOf(plain).map((configuration) => configuration.Filter)).toEqual([undefined]);
  });

  it('gives the copy-object job the same copy settings as s3Copier', () => {
    const consumer = (plain.Resources.SqsConsumerLambdaFunction?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const copier = copierOf(plain).Variables;
    const copyVariables = ['DEST_BUCKET', 'DEST_PREFIX', 'COPY_MULTIPART_THRESHOLD', 'COPY_PART_SIZE', 'COPY_PART_CONCURRENCY', 'DEST_SSE', 'DEST_SSE_KMS_KEY_ID', 'DEST_STORAGE_CLASS'];

    expect(Object.fromEntries(copyVariables.map((name) => [name, consumer[name]]))).toEqual(Object.fromEntries(copyVariables.map((name) => [name, copier[name]])));
  });
});
