import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../local-aws/stage-env';
import { packagedTemplate } from './packaged-templates';

/**
 * deploy/deployer-policy.json: the permissions of whoever runs `sls deploy / rollback / remove` for
 * one stage (CloudFormation acts with the deployer's credentials). Checked against the resource
 * types of the packaged prod template: a resource type added to the stack without the deployer's
 * actions for it fails here.
 */
type Statement = { Sid: string; Effect: string; Action: string[]; Resource: unknown; Condition?: unknown };
type PolicyTemplate = { Resources: Record<string, { Type: string; Properties: { PolicyDocument: { Statement: Statement[] } } }> };

const POLICY_FILE = join(ROOT, 'deploy', 'deployer-policy.json');
const policyTemplate = JSON.parse(readFileSync(POLICY_FILE, 'utf8')) as PolicyTemplate;
const statements = Object.values(policyTemplate.Resources).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
const resourcesOf = (statement: Statement): string[] =>
  ([] as unknown[]).concat(statement.Resource).map((resource) => (typeof resource === 'string' ? resource : ((resource as { 'Fn::Sub'?: string })['Fn::Sub'] ?? JSON.stringify(resource))));

/** CloudFormation type -> what CloudFormation calls with the deployer's credentials to create, update, tag and delete it. */
const ACTIONS_BY_TYPE: Record<string, string[]> = {
  'AWS::S3::Bucket': [
    's3:CreateBucket',
    's3:DeleteBucket',
    's3:PutEncryptionConfiguration',
    's3:PutBucketPublicAccessBlock',
    's3:PutBucketOwnershipControls',
    's3:PutBucketNotification',
    's3:PutBucketTagging',
  ],
  'AWS::S3::BucketPolicy': ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'],
  'AWS::SQS::Queue': ['sqs:CreateQueue', 'sqs:DeleteQueue', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes', 'sqs:TagQueue', 'sqs:UntagQueue', 'sqs:ListQueueTags'],
  'AWS::SQS::QueuePolicy': ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes'],
  'AWS::SNS::Topic': ['sns:CreateTopic', 'sns:DeleteTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:TagResource', 'sns:UntagResource', 'sns:ListTagsForResource'],
  'AWS::SNS::TopicPolicy': ['sns:SetTopicAttributes', 'sns:GetTopicAttributes'],
  'AWS::SNS::Subscription': ['sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes'],
  'AWS::KMS::Key': [
    'kms:CreateKey',
    'kms:DescribeKey',
    'kms:GetKeyPolicy',
    'kms:PutKeyPolicy',
    'kms:EnableKeyRotation',
    'kms:GetKeyRotationStatus',
    'kms:TagResource',
    'kms:UntagResource',
    'kms:ListResourceTags',
    'kms:ScheduleKeyDeletion',
  ],
  'AWS::KMS::Alias': ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias', 'kms:ListAliases'],
  'AWS::IAM::Role': ['iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:GetRolePolicy', 'iam:TagRole', 'iam:UntagRole', 'iam:PassRole'],
  'AWS::IAM::RolePolicy': ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:GetRolePolicy'],
  'AWS::Logs::LogGroup': ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DescribeLogGroups', 'logs:TagResource'],
  'AWS::Lambda::Function': [
    'lambda:CreateFunction',
    'lambda:DeleteFunction',
    'lambda:GetFunction',
    'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration',
    'lambda:TagResource',
    'lambda:UntagResource',
    'lambda:ListTags',
  ],
  'AWS::Lambda::Permission': ['lambda:AddPermission', 'lambda:RemovePermission'],
  'AWS::Lambda::EventInvokeConfig': ['lambda:PutFunctionEventInvokeConfig', 'lambda:UpdateFunctionEventInvokeConfig', 'lambda:DeleteFunctionEventInvokeConfig'],
  'AWS::Lambda::EventSourceMapping': ['lambda:CreateEventSourceMapping', 'lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping', 'lambda:DeleteEventSourceMapping'],
  'AWS::StepFunctions::StateMachine': [
    'states:CreateStateMachine',
    'states:DeleteStateMachine',
    'states:DescribeStateMachine',
    'states:UpdateStateMachine',
    'states:TagResource',
    'states:UntagResource',
    'states:ListTagsForResource',
  ],
  'AWS::Events::Rule': ['events:PutRule', 'events:DeleteRule', 'events:DescribeRule', 'events:PutTargets', 'events:RemoveTargets'],
  'AWS::CloudWatch::Alarm': ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource'],
};

/** What the framework itself calls: the stack (deploy, rollback, remove, info) and its artifacts in the deployment bucket. */
const FRAMEWORK_ACTIONS = [
  'cloudformation:CreateStack',
  'cloudformation:UpdateStack',
  'cloudformation:DeleteStack',
  'cloudformation:DescribeStacks',
  'cloudformation:DescribeStackEvents',
  'cloudformation:DescribeStackResource',
  'cloudformation:ListStackResources',
  'cloudformation:GetTemplate',
  'cloudformation:ValidateTemplate',
  'cloudformation:CreateChangeSet',
  'cloudformation:DescribeChangeSet',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:DeleteChangeSet',
  's3:ListBucket',
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
];

const STAGE_PREFIX = 'messaging-workers-${Stage}';

describe('the deployer policy (deploy/deployer-policy.json)', () => {
  it('is a valid CloudFormation template (cfn-lint)', () => {
    const result = spawnSync('cfn-lint', [POLICY_FILE], { cwd: ROOT, encoding: 'utf8' });

    expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
  });

  it('allows no wildcard action and denies nothing it cannot name', () => {
    const wildcards = statements.flatMap((s) => s.Action.filter((action) => action.includes('*')).map((action) => `${s.Sid}:${action}`));

    expect(wildcards).toEqual([]);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('names only resources of the stage, except where AWS requires more (each such statement scoped by a condition on the stage, or listed here)', () => {
    const beyondTheStage = statements.flatMap((s) => resourcesOf(s).filter((resource) => !resource.includes(STAGE_PREFIX)).map((resource) => [s.Sid, resource]));
    const conditioned = statements.filter((s) => JSON.stringify(s.Condition ?? {}).includes('Stage')).map((s) => s.Sid);

    expect(beyondTheStage).toEqual([
      // ValidateTemplate and ListAliases support no resource-level permission: AWS requires "*".
      ['ValidateTemplateSupportsNoResource', '*'],
      // DescribeLogGroups lists: its resource is the log groups of the account and region.
      ['DescribeLogGroupsListsByPrefix', 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*'],
      // Event source mappings are named by a UUID: only those of the stage's functions.
      ['EventSourceMappingsOfTheStagesFunctions', '*'],
      // CreateKey has no resource yet: only with the stage's tags (the stack tags).
      ['CreateTheTopicsKeyTaggedWithTheStage', '*'],
      // A key's id is known only once created: keys carrying the stage's tags.
      ['TheTopicsKeyOfTheStage', 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*'],
      ['ListAliasesSupportsNoResource', '*'],
    ]);
    expect(conditioned).toEqual(['EventSourceMappingsOfTheStagesFunctions', 'CreateTheTopicsKeyTaggedWithTheStage', 'TheTopicsKeyOfTheStage']);
  });

  it('names resources of the service of its actions', () => {
    const mismatched = statements.flatMap((s) =>
      resourcesOf(s)
        .filter((resource) => resource !== '*')
        .filter((resource) => s.Action.some((action) => !resource.includes(`:${action.split(':')[0] ?? ''}:`)))
        .map((resource) => [s.Sid, resource]),
    );

    expect(mismatched).toEqual([]);
  });

  it('covers every resource type of the prod stack', () => {
    const types = [...new Set([...Object.values(packagedTemplate('prod').Resources), ...Object.values(packagedTemplate('prod-with-email').Resources)].map((r) => r.Type))].sort();

    expect(types.filter((type) => !ACTIONS_BY_TYPE[type])).toEqual([]);
  });

  it.each(Object.keys(ACTIONS_BY_TYPE))('allows what CloudFormation calls for %s', (type) => {
    const allowed = new Set(statements.flatMap((s) => s.Action));

    expect((ACTIONS_BY_TYPE[type] ?? []).filter((action) => !allowed.has(action))).toEqual([]);
  });

  it('allows what the framework calls for deploy, rollback and remove', () => {
    const allowed = new Set(statements.flatMap((s) => s.Action));

    expect(FRAMEWORK_ACTIONS.filter((action) => !allowed.has(action))).toEqual([]);
  });

  it('passes the stage roles only to the services that assume them (the functions, the state machine, its schedule rule)', () => {
    const passRole = statements.filter((s) => s.Action.includes('iam:PassRole'));

    expect(passRole.map((s) => [s.Action, s.Condition])).toEqual([
      [['iam:PassRole'], { StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'states.amazonaws.com', 'events.amazonaws.com'] } }],
    ]);
  });
});
