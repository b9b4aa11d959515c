import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CloudFormationClient, DescribeStackResourcesCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { GetAliasCommand, GetFunctionCommand, LambdaClient, ListEventSourceMappingsCommand, ListFunctionsCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startMoto, type Stoppable } from '../../local-aws/emulators';
import { ROOT } from '../../shared/stage-env';

/**
 * The deploy rehearsal: `sls deploy --stage rehearsal` against a moto_server this test starts on
 * 127.0.0.1 (moto's CloudFormation creates the stack's resources in its own S3, SQS, SNS, IAM,
 * Lambda, EventBridge and CloudWatch Logs), a second deploy with no change, a third with a change
 * of sqsConsumer's code (a new version, its `live` alias moved; made in a copy of the service, so
 * the work tree stays as it is), then `sls remove`. Aliases and versions in moto's CloudFormation:
 * local-aws/moto_lambda_aliases.py. The stage deploys without CodeDeploy (moto's CloudFormation
 * has none): the canary shift, its alarm rollback and the pre-traffic hook are shown by the
 * template tests only (test/infra/releases.test.ts), as is the on-failure destination's qualifier.
 * It runs as a jest project of its own after the others (`npm run test:rehearsal`): `sls deploy`
 * packages into the service's `.serverless` folder, which any other `sls package` empties first.
 */
const STAGE = 'rehearsal';
const PORT = 4660;
const endpoint = `http://127.0.0.1:${PORT}`;
const stackName = `messaging-workers-${STAGE}`;
const prefix = `messaging-workers-${STAGE}-`;
/**
 * Resource types moto's CloudFormation (5.2.1) accepts but does not create: the rehearsal cannot
 * show them (README, "What the rehearsal cannot show"); the template tests check them instead.
 */
const NOT_CREATED_BY_MOTO = [
  'AWS::S3::BucketPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::CloudWatch::Alarm',
];

const config = { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'rehearsal', secretAccessKey: 'rehearsal' } };
const cloudFormation = new CloudFormationClient(config);
const sqs = new SQSClient(config);
const sns = new SNSClient(config);
const s3 = new S3Client({ ...config, forcePathStyle: true });
const iam = new IAMClient(config);
const lambda = new LambdaClient(config);
const events = new EventBridgeClient(config);
const logs = new CloudWatchLogsClient(config);
const kms = new KMSClient(config);

type Template = {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Condition?: string }>;
  Parameters?: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, unknown>;
};
let moto: Stoppable | undefined;
let template: Template;
let firstDeploy: { status: number | null; output: string };

const workFolder = join('.esbuild', `rehearsal-${process.pid}`);
/** The copy of the service the code change is deployed from (inside the project: it resolves node_modules from here). */
const changedService = join(ROOT, '.local-aws', `rehearsal-service-${process.pid}`);

/** The project's files (tracked, or new and not ignored) copied to `changedService`, with a change of sqsConsumer's code. */
function copyServiceWithChangedConsumer(): void {
  const files = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(changedService, file)), { recursive: true });
    cpSync(join(ROOT, file), join(changedService, file));
  }
  // An export of the entry module survives bundling and minifying: the zip, so the version, changes.
  appendFileSync(join(changedService, 'handlers', 'sqs-consumer', 'handler.ts'), "\n/** The rehearsal's change of code. */\nexport const rehearsalBuild = 'changed';\n");
}

const RELEASED = ['s3Copier', 'ec2Scheduler', 'snsNotifier', 'sqsConsumer'];
/** Function -> the version its live alias routes to. */
async function liveVersions(): Promise<Record<string, string | undefined>> {
  const entries = await Promise.all(RELEASED.map(async (fn) => [fn, (await lambda.send(new GetAliasCommand({ FunctionName: `${prefix}${fn}`, Name: 'live' }))).FunctionVersion] as const));
  return Object.fromEntries(entries);
}
/** The version the stack's AWS::Lambda::Version of a function created (its physical id is the version ARN). */
async function stackVersion(fn: string): Promise<string | undefined> {
  const { StackResources = [] } = await cloudFormation.send(new DescribeStackResourcesCommand({ StackName: stackName }));
  const logicalId = `${fn[0]?.toUpperCase()}${fn.slice(1)}LambdaVersion`;
  return StackResources.find((resource) => resource.ResourceType === 'AWS::Lambda::Version' && resource.LogicalResourceId?.startsWith(logicalId))?.PhysicalResourceId?.split(':').pop();
}

function sls(args: string[], service = ROOT): Promise<{ status: number | null; output: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'), ...args, '--stage', STAGE], {
    cwd: service,
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'rehearsal',
      AWS_SECRET_ACCESS_KEY: 'rehearsal',
      AWS_REGION: 'us-east-1',
      ESBUILD_WORK_FOLDER: workFolder,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, output })));
}

/** A template condition with the parameters' defaults (the forms our templates use: Not, Equals, Ref). */
function holds(expression: unknown): unknown {
  const [[fn, args] = []] = Object.entries(expression as Record<string, unknown>);
  if (fn === 'Fn::Not') return !holds((args as unknown[])[0]);
  if (fn === 'Fn::Equals') return (args as unknown[]).map((arg) => (typeof arg === 'object' ? holds(arg) : arg)).reduce((a, b) => a === b);
  if (fn === 'Ref') return template.Parameters?.[String(args)]?.Default;
  throw new Error(`condition function ${String(fn)} is not evaluated here`);
}
/** Resources the stack declares for this stage: without a condition, or whose condition holds. */
const declared = () => Object.entries(template.Resources).filter(([, resource]) => resource.Condition === undefined || holds(template.Conditions?.[resource.Condition]) === true);

const ofType = (type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
/** moto's account (its default), which the stack's Fn::Sub names (the buckets') resolve to. */
const MOTO_ACCOUNT = '123456789012';
const nameOf = (value: unknown) => {
  const sub = (value as { 'Fn::Sub'?: unknown } | undefined)?.['Fn::Sub'];
  return typeof sub === 'string' ? sub.replace(/\$\{AWS::AccountId\}/g, MOTO_ACCOUNT) : String(value);
};
const named = (type: string, property: string) => ofType(type).map(([, resource]) => nameOf(resource.Properties?.[property]));

/** What of this stack moto holds now, service by service. */
async function whatExists() {
  const queues = ((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls ?? []).map((url) => url.split('/').pop());
  const topics = ((await sns.send(new ListTopicsCommand({}))).Topics ?? []).map((topic) => topic.TopicArn?.split(':').pop()).filter((name) => name?.startsWith(prefix));
  const buckets = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name ?? '').filter((name) => name.startsWith(stackName.slice(0, 20)));
  const roles = ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((role) => role.RoleName ?? '').filter((name) => name.startsWith(stackName));
  const functions = ((await lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((fn) => fn.FunctionName ?? '').filter((name) => name.startsWith(prefix));
  const rules = ((await events.send(new ListRulesCommand({ NamePrefix: stackName }))).Rules ?? []).map((rule) => rule.Name);
  const logGroups = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/lambda/${prefix}` }))).logGroups ?? [];
  const keyAliases = ((await kms.send(new ListAliasesCommand({}))).Aliases ?? []).filter((alias) => alias.AliasName?.startsWith(`alias/${prefix}`));
  return { queues, topics, buckets, roles, functions, rules, logGroups, keyAliases };
}

beforeAll(async () => {
  moto = await startMoto({ port: PORT });
  firstDeploy = await sls(['deploy']);
  if (firstDeploy.status !== 0) throw new Error(`sls deploy failed:\n${firstDeploy.output}`);
  template = JSON.parse(readFileSync(join(ROOT, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
}, 240_000);

afterAll(() => moto?.stop());
afterAll(() => rmSync(join(ROOT, workFolder), { recursive: true, force: true }));
afterAll(() => rmSync(changedService, { recursive: true, force: true }));

describe('the deploy rehearsal against moto (sls deploy, again, sls remove)', () => {
  it('deploys the stack', () => {
    expect({ status: firstDeploy.status, output: firstDeploy.output }).toEqual({ status: 0, output: expect.stringContaining(`Service deployed to stack ${stackName}`) as unknown });
  });

  it('creates every resource of the template except the types moto does not create', async () => {
    const { StackResources = [] } = await cloudFormation.send(new DescribeStackResourcesCommand({ StackName: stackName }));
    const created = new Map(StackResources.map((resource) => [resource.LogicalResourceId, resource.ResourceStatus]));

    const missing = declared().filter(([logicalId]) => !created.has(logicalId));

    expect(missing.filter(([, resource]) => !NOT_CREATED_BY_MOTO.includes(resource.Type))).toEqual([]);
    expect([...created.values()].filter((status) => !/^(CREATE|UPDATE)_COMPLETE$/.test(String(status)))).toEqual([]);
  });

  it('leaves the queues, topics, buckets, roles, functions, event source mappings, rules, log groups and the topics key the template declares', async () => {
    const exists = await whatExists();

    expect(exists.queues.sort()).toEqual(named('AWS::SQS::Queue', 'QueueName').sort());
    expect(exists.topics.sort()).toEqual(named('AWS::SNS::Topic', 'TopicName').sort());
    for (const bucket of named('AWS::S3::Bucket', 'BucketName').filter((name) => name !== 'undefined')) expect(exists.buckets).toContain(bucket);
    expect(exists.roles.length).toBe(ofType('AWS::IAM::Role').length);
    expect(exists.functions.sort()).toEqual(named('AWS::Lambda::Function', 'FunctionName').sort());
    expect(exists.rules.length).toBe(ofType('AWS::Events::Rule').length);
    expect(exists.logGroups.map((group) => group.logGroupName).sort()).toEqual(named('AWS::Logs::LogGroup', 'LogGroupName').sort());
    for (const group of exists.logGroups) expect(group.retentionInDays).toBeGreaterThan(0);
    for (const name of exists.functions) {
      const { Configuration } = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
      expect(Configuration?.Runtime).toBe('nodejs24.x');
    }
    expect(exists.keyAliases.map((alias) => alias.AliasName)).toEqual(named('AWS::KMS::Alias', 'AliasName'));
    // (moto 5.2.1 answers DescribeKey on a key its CloudFormation created with an internal error.)
    const { KeyRotationEnabled } = await kms.send(new GetKeyRotationStatusCommand({ KeyId: exists.keyAliases[0]?.TargetKeyId }));
    expect(KeyRotationEnabled).toBe(true);
    const mappings = (await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings ?? [];
    expect(mappings.filter((mapping) => mapping.FunctionArn?.includes(prefix)).length).toBe(ofType('AWS::Lambda::EventSourceMapping').length);
  });

  it("publishes a version of each function and points its live alias at it; the queues' mappings invoke the alias", async () => {
    const versions = await liveVersions();

    expect(Object.values(versions).every((version) => /^\d+$/.test(String(version)))).toBe(true);
    for (const fn of RELEASED) expect([fn, versions[fn]]).toEqual([fn, await stackVersion(fn)]);
    const mappings = ((await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings ?? []).filter((mapping) => mapping.FunctionArn?.includes(prefix));
    // The mappings name the alias; moto stores the version it routes to (Lambda keeps the alias ARN).
    expect(mappings.map((mapping) => mapping.FunctionArn)).toEqual(mappings.map(() => `arn:aws:lambda:us-east-1:123456789012:function:${prefix}sqsConsumer:${versions.sqsConsumer}`));
  });

  it('deploys nothing the second time when nothing changed', async () => {
    const second = await sls(['deploy']);

    expect(second.status).toBe(0);
    expect(second.output).toContain('No changes to deploy');
  }, 120_000);

  it("publishes a new version of a function whose code changed and moves its live alias there, keeping the old version", async () => {
    const before = await liveVersions();
    copyServiceWithChangedConsumer();

    const changed = await sls(['deploy'], changedService);

    expect({ status: changed.status, output: changed.status === 0 ? '' : changed.output }).toEqual({ status: 0, output: '' });
    const after = await liveVersions();
    expect(Number(after.sqsConsumer)).toBeGreaterThan(Number(before.sqsConsumer));
    expect(after.sqsConsumer).toBe(await stackVersion('sqsConsumer'));
    const { Versions = [] } = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: `${prefix}sqsConsumer` }));
    expect(Versions.map((version) => version.Version)).toEqual(expect.arrayContaining(['$LATEST', before.sqsConsumer, after.sqsConsumer]));
  }, 180_000);

  it('leaves nothing behind after sls remove', async () => {
    const removed = await sls(['remove']);

    expect({ status: removed.status, output: removed.status === 0 ? '' : removed.output }).toEqual({ status: 0, output: '' });
    await expect(cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).rejects.toThrow(/does not exist/);
    // The topics' key goes too (moto deletes it at once; AWS schedules its deletion after the
    // stage's keyPendingWindowInDays).
    expect(await whatExists()).toEqual({ queues: [], topics: [], buckets: [], roles: [], functions: [], rules: [], logGroups: [], keyAliases: [] });
  }, 120_000);
});
