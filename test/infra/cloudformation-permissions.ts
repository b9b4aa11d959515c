/**
 * What CloudFormation calls with the deployer's credentials for each resource type of the stack:
 * the permissions of the create, update and delete handlers of each type's resource schema in the
 * CloudFormation registry (`aws cloudformation describe-type --type RESOURCE --type-name ...`,
 * `handlers.<op>.permissions`), and the read handler's, which the create and update handlers call
 * when they finish. cfn-lint 1.51 ships the schemas without their `handlers` (it needs the
 * properties only), so the lists are kept here; test/infra/deployer-policy.test.ts checks that a
 * cfn-lint that ships them lists nothing these lists miss.
 *
 * `notApplicable` names the permissions of a handler that our templates never make it use, each
 * with why (a VPC, a code-signing config, a KMS key on a resource we do not encrypt with one...). A
 * property that would need one of them, added to the template, must move it into the checked list.
 */
export type Operation = 'create' | 'read' | 'update' | 'delete';

export interface TypePermissions {
  handlers: Partial<Record<Operation, string[]>>;
  notApplicable?: Record<string, string>;
}

export const HANDLER_PERMISSIONS: Record<string, TypePermissions> = {
  'AWS::S3::Bucket': {
    handlers: {
      create: [
        's3:CreateBucket',
        's3:PutBucketTagging',
        's3:PutEncryptionConfiguration',
        's3:PutBucketPublicAccessBlock',
        's3:PutBucketOwnershipControls',
        's3:PutBucketNotification',
        's3:PutLifecycleConfiguration',
      ],
      read: [
        's3:GetBucketLocation',
        's3:GetBucketTagging',
        's3:GetEncryptionConfiguration',
        's3:GetBucketPublicAccessBlock',
        's3:GetBucketOwnershipControls',
        's3:GetBucketNotification',
        's3:GetLifecycleConfiguration',
        's3:GetBucketVersioning',
        's3:ListBucket',
      ],
      update: [
        's3:PutBucketTagging',
        's3:PutEncryptionConfiguration',
        's3:PutBucketPublicAccessBlock',
        's3:PutBucketOwnershipControls',
        's3:PutBucketNotification',
        's3:PutLifecycleConfiguration',
      ],
      delete: ['s3:DeleteBucket', 's3:ListBucket'],
    },
    notApplicable: {
      // Not in our templates: acceleration, CORS, logging, metrics, inventory, analytics,
      // replication, websites, object lock, intelligent tiering, ACLs (BucketOwnerEnforced).
      's3:PutBucketAcl': 'ACLs are off (BucketOwnerEnforced)',
      's3:PutBucketVersioning': 'no VersioningConfiguration',
      's3:PutBucketPolicy': 'the policies are AWS::S3::BucketPolicy resources',
      's3:PutAccelerateConfiguration': 'no AccelerateConfiguration',
      's3:PutBucketCORS': 'no CorsConfiguration',
      's3:PutBucketLogging': 'no LoggingConfiguration',
      's3:PutReplicationConfiguration': 'no ReplicationConfiguration',
      's3:PutBucketObjectLockConfiguration': 'no ObjectLockConfiguration',
      'iam:PassRole': 'no ReplicationConfiguration role',
    },
  },
  'AWS::S3::BucketPolicy': {
    handlers: {
      create: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'],
      read: ['s3:GetBucketPolicy'],
      update: ['s3:GetBucketPolicy', 's3:PutBucketPolicy'],
      delete: ['s3:GetBucketPolicy', 's3:DeleteBucketPolicy'],
    },
  },
  'AWS::SQS::Queue': {
    handlers: {
      create: ['sqs:CreateQueue', 'sqs:GetQueueUrl', 'sqs:GetQueueAttributes', 'sqs:ListQueueTags', 'sqs:TagQueue'],
      read: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ListQueueTags'],
      update: ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes', 'sqs:ListQueueTags', 'sqs:TagQueue', 'sqs:UntagQueue'],
      delete: ['sqs:DeleteQueue', 'sqs:GetQueueAttributes'],
    },
  },
  'AWS::SQS::QueuePolicy': {
    handlers: {
      create: ['sqs:SetQueueAttributes'],
      read: ['sqs:GetQueueAttributes'],
      update: ['sqs:SetQueueAttributes'],
      delete: ['sqs:SetQueueAttributes'],
    },
  },
  'AWS::SNS::Topic': {
    handlers: {
      create: ['sns:CreateTopic', 'sns:TagResource', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:ListTagsForResource'],
      read: ['sns:GetTopicAttributes', 'sns:ListTagsForResource', 'sns:ListSubscriptionsByTopic'],
      update: ['sns:SetTopicAttributes', 'sns:TagResource', 'sns:UntagResource', 'sns:GetTopicAttributes', 'sns:ListTagsForResource'],
      delete: ['sns:DeleteTopic', 'sns:GetTopicAttributes'],
    },
    notApplicable: {
      'sns:PutDataProtectionPolicy': 'no DataProtectionPolicy',
      'sns:GetDataProtectionPolicy': 'no DataProtectionPolicy',
      'sns:Subscribe': 'no Subscription property on the topic (AWS::SNS::Subscription resources instead)',
      'iam:PassRole': 'no delivery status logging roles',
    },
  },
  'AWS::SNS::TopicPolicy': {
    handlers: {
      create: ['sns:SetTopicAttributes'],
      read: ['sns:GetTopicAttributes'],
      update: ['sns:SetTopicAttributes'],
      delete: ['sns:SetTopicAttributes'],
    },
  },
  'AWS::SNS::Subscription': {
    handlers: {
      create: ['sns:Subscribe', 'sns:GetSubscriptionAttributes'],
      read: ['sns:GetSubscriptionAttributes'],
      update: ['sns:SetSubscriptionAttributes', 'sns:GetSubscriptionAttributes'],
      delete: ['sns:Unsubscribe', 'sns:GetSubscriptionAttributes'],
    },
  },
  'AWS::KMS::Key': {
    handlers: {
      create: ['kms:CreateKey', 'kms:EnableKeyRotation', 'kms:DisableKey', 'kms:TagResource', 'kms:PutKeyPolicy', 'kms:DescribeKey'],
      read: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'],
      update: [
        'kms:DescribeKey',
        'kms:DisableKey',
        'kms:DisableKeyRotation',
        'kms:EnableKey',
        'kms:EnableKeyRotation',
        'kms:PutKeyPolicy',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:UpdateKeyDescription',
        'kms:ListResourceTags',
      ],
      delete: ['kms:DescribeKey', 'kms:ScheduleKeyDeletion'],
    },
    notApplicable: {
      'kms:DisableKey': 'no Enabled: false (the key stays enabled)',
      'kms:EnableKey': 'no Enabled property to turn back on',
      'kms:DisableKeyRotation': 'EnableKeyRotation stays true',
    },
  },
  'AWS::KMS::Alias': {
    handlers: {
      // CreateAlias and UpdateAlias are authorised on the alias and on the key.
      create: ['kms:CreateAlias'],
      read: ['kms:ListAliases'],
      update: ['kms:UpdateAlias'],
      delete: ['kms:DeleteAlias'],
    },
  },
  'AWS::IAM::Role': {
    handlers: {
      create: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:GetRole', 'iam:GetRolePolicy', 'iam:TagRole'],
      read: ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy'],
      update: [
        'iam:UpdateAssumeRolePolicy',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:GetRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
      ],
      delete: ['iam:DeleteRole', 'iam:DeleteRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:GetRole'],
    },
    notApplicable: {
      'iam:AttachRolePolicy': 'no ManagedPolicyArns (inline policies only)',
      'iam:DetachRolePolicy': 'no ManagedPolicyArns',
      'iam:PutRolePermissionsBoundary': 'no PermissionsBoundary',
      'iam:DeleteRolePermissionsBoundary': 'no PermissionsBoundary',
      'iam:UpdateRole': 'no MaxSessionDuration',
      'iam:UpdateRoleDescription': 'no Description on the roles',
      'iam:ListInstanceProfilesForRole': 'no instance profiles (the roles are Lambda roles)',
    },
  },
  'AWS::IAM::RolePolicy': {
    handlers: {
      create: ['iam:PutRolePolicy', 'iam:GetRolePolicy'],
      read: ['iam:GetRolePolicy'],
      update: ['iam:PutRolePolicy', 'iam:GetRolePolicy'],
      delete: ['iam:DeleteRolePolicy', 'iam:GetRolePolicy'],
    },
  },
  'AWS::Logs::LogGroup': {
    handlers: {
      create: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:TagResource', 'logs:DescribeLogGroups'],
      read: ['logs:DescribeLogGroups', 'logs:ListTagsForResource'],
      update: ['logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:TagResource', 'logs:UntagResource', 'logs:DescribeLogGroups', 'logs:ListTagsForResource'],
      delete: ['logs:DeleteLogGroup', 'logs:DescribeLogGroups'],
    },
    notApplicable: {
      'logs:AssociateKmsKey': 'no KmsKeyId',
      'logs:DisassociateKmsKey': 'no KmsKeyId',
      'logs:PutDataProtectionPolicy': 'no DataProtectionPolicy',
      'logs:PutIndexPolicy': 'no FieldIndexPolicies',
    },
  },
  'AWS::Lambda::Function': {
    handlers: {
      create: [
        'lambda:CreateFunction',
        'lambda:GetFunction',
        'lambda:TagResource',
        'iam:PassRole',
        's3:GetObject',
        'lambda:GetRuntimeManagementConfig',
        'lambda:GetFunctionCodeSigningConfig',
        'lambda:GetFunctionRecursionConfig',
      ],
      read: ['lambda:GetFunction', 'lambda:GetFunctionCodeSigningConfig', 'lambda:GetRuntimeManagementConfig', 'lambda:GetFunctionRecursionConfig', 'lambda:ListTags'],
      update: [
        'lambda:UpdateFunctionConfiguration',
        'lambda:UpdateFunctionCode',
        'lambda:GetFunction',
        'lambda:ListTags',
        'lambda:TagResource',
        'lambda:UntagResource',
        'iam:PassRole',
        's3:GetObject',
        'lambda:GetRuntimeManagementConfig',
        'lambda:GetFunctionCodeSigningConfig',
        'lambda:GetFunctionRecursionConfig',
      ],
      delete: ['lambda:DeleteFunction', 'lambda:GetFunction'],
    },
    notApplicable: {
      's3:GetObjectVersion': 'no S3ObjectVersion (the deployment bucket is not versioned)',
      'ec2:DescribeSecurityGroups': 'no VpcConfig',
      'ec2:DescribeSubnets': 'no VpcConfig',
      'ec2:DescribeVpcs': 'no VpcConfig',
      'ec2:DescribeNetworkInterfaces': 'no VpcConfig',
      'elasticfilesystem:DescribeMountTargets': 'no FileSystemConfigs',
      'kms:CreateGrant': 'no KmsKeyArn (environment encrypted with the AWS managed key)',
      'kms:Decrypt': 'no KmsKeyArn',
      'kms:Encrypt': 'no KmsKeyArn',
      'kms:GenerateDataKey': 'no KmsKeyArn',
      'lambda:GetCodeSigningConfig': 'no CodeSigningConfigArn',
      'lambda:PutFunctionCodeSigningConfig': 'no CodeSigningConfigArn',
      'lambda:DeleteFunctionCodeSigningConfig': 'no CodeSigningConfigArn',
      'lambda:GetLayerVersion': 'no Layers',
      'lambda:PutFunctionConcurrency': 'no ReservedConcurrentExecutions',
      'lambda:DeleteFunctionConcurrency': 'no ReservedConcurrentExecutions',
      'lambda:GetFunctionConcurrency': 'no ReservedConcurrentExecutions',
      'lambda:PutRuntimeManagementConfig': 'no RuntimeManagementConfig',
      'lambda:PutFunctionRecursionConfig': 'no RecursiveLoop',
    },
  },
  'AWS::Lambda::Permission': {
    handlers: {
      create: ['lambda:AddPermission', 'lambda:GetPolicy'],
      read: ['lambda:GetPolicy'],
      delete: ['lambda:RemovePermission', 'lambda:GetPolicy'],
    },
  },
  'AWS::Lambda::EventInvokeConfig': {
    handlers: {
      create: ['lambda:PutFunctionEventInvokeConfig', 'lambda:GetFunctionEventInvokeConfig'],
      read: ['lambda:GetFunctionEventInvokeConfig'],
      update: ['lambda:UpdateFunctionEventInvokeConfig', 'lambda:GetFunctionEventInvokeConfig'],
      delete: ['lambda:DeleteFunctionEventInvokeConfig', 'lambda:GetFunctionEventInvokeConfig'],
    },
  },
  'AWS::Lambda::EventSourceMapping': {
    handlers: {
      // tagOnCreate: the stack tags are passed to CreateEventSourceMapping, which is authorised for
      // TagResource on the new mapping too.
      create: ['lambda:CreateEventSourceMapping', 'lambda:GetEventSourceMapping', 'lambda:TagResource', 'lambda:ListTags'],
      read: ['lambda:GetEventSourceMapping', 'lambda:ListTags'],
      update: ['lambda:UpdateEventSourceMapping', 'lambda:GetEventSourceMapping', 'lambda:ListTags', 'lambda:TagResource', 'lambda:UntagResource'],
      delete: ['lambda:DeleteEventSourceMapping', 'lambda:GetEventSourceMapping'],
    },
    notApplicable: {
      'kms:DescribeKey': 'no KmsKeyArn (filter criteria not encrypted with a CMK)',
      'kms:GenerateDataKey': 'no KmsKeyArn',
      'kms:Decrypt': 'no KmsKeyArn',
    },
  },
  'AWS::Events::Rule': {
    // Registry schema AWS::Events::Rule (terraform-provider-awscc internal/service/cloudformation/
    // schemas/AWS_Events_Rule.json): iam:PassRole in every handler. PutRule and PutTargets are the
    // calls that take a role (a target's RoleArn: the retire-volumes schedule's, passed to
    // events.amazonaws.com); requestsFor asks PassRole only for the rules with such a target
    // (Lambda targets take none, they use the function's policy).
    handlers: {
      create: ['events:PutRule', 'events:PutTargets', 'events:DescribeRule', 'events:TagResource', 'iam:PassRole'],
      read: ['events:DescribeRule', 'events:ListTargetsByRule', 'events:ListTagsForResource'],
      update: ['events:PutRule', 'events:PutTargets', 'events:RemoveTargets', 'events:DescribeRule', 'events:ListTargetsByRule', 'events:TagResource', 'events:UntagResource', 'iam:PassRole'],
      delete: ['events:DeleteRule', 'events:RemoveTargets', 'events:DescribeRule', 'events:ListTargetsByRule'],
    },
  },
  'AWS::Lambda::Version': {
    // Registry schema AWS::Lambda::Version (terraform-provider-awscc .../schemas/AWS_Lambda_Version.json).
    // Not taggable. The framework keeps every version (DeletionPolicy Retain), so the delete
    // handler runs only if that changes; it is checked all the same.
    handlers: {
      create: ['lambda:PublishVersion', 'lambda:GetFunctionConfiguration', 'lambda:GetRuntimeManagementConfig', 'lambda:GetProvisionedConcurrencyConfig', 'lambda:ListVersionsByFunction'],
      read: ['lambda:GetFunctionConfiguration', 'lambda:GetProvisionedConcurrencyConfig', 'lambda:GetRuntimeManagementConfig'],
      update: ['lambda:GetFunctionConfiguration'],
      delete: ['lambda:GetFunctionConfiguration', 'lambda:DeleteFunction'],
    },
    notApplicable: {
      'lambda:PutProvisionedConcurrencyConfig': 'no ProvisionedConcurrencyConfig on the versions',
      'lambda:PutRuntimeManagementConfig': 'no RuntimePolicy on the versions',
      'lambda:PutFunctionScalingConfig': 'no FunctionScalingConfig (Lambda Managed Instances only)',
      'lambda:GetFunctionScalingConfig': 'no FunctionScalingConfig (Lambda Managed Instances only)',
    },
  },
  'AWS::Lambda::Alias': {
    // Registry schema AWS::Lambda::Alias (terraform-provider-awscc .../schemas/AWS_Lambda_Alias.json).
    // Not taggable. The update handler's codedeploy:* calls are those of an alias with an
    // UpdatePolicy CodeDeployLambdaAliasUpdate (dev and prod): CloudFormation starts a deployment in
    // the alias's deployment group, follows it and stops it on a cancelled update; requestsFor asks
    // them only for such an alias (the A/B-tested alias and local/test have none).
    handlers: {
      create: ['lambda:CreateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
      read: ['lambda:GetAlias', 'lambda:GetProvisionedConcurrencyConfig'],
      update: [
        'lambda:UpdateAlias',
        'lambda:GetAlias',
        'lambda:GetProvisionedConcurrencyConfig',
        'codedeploy:CreateDeployment',
        'codedeploy:GetDeployment',
        'codedeploy:GetDeploymentGroup',
        'codedeploy:GetDeploymentConfig',
        'codedeploy:StopDeployment',
      ],
      delete: ['lambda:DeleteAlias', 'lambda:GetAlias'],
    },
    notApplicable: {
      'lambda:PutProvisionedConcurrencyConfig': 'no ProvisionedConcurrencyConfig on the aliases',
      'lambda:DeleteProvisionedConcurrencyConfig': 'no ProvisionedConcurrencyConfig on the aliases',
    },
  },
  'AWS::CodeDeploy::Application': {
    // Registry schema AWS::CodeDeploy::Application, handler permissions as stackql-registry-docs
    // renders them (docs/aws-docs/providers/aws/codedeploy/applications/index.md, "Permissions"):
    // create CreateApplication + TagResource, delete GetApplication + DeleteApplication; read and
    // update (tags only: ComputePlatform and ApplicationName are create-only) as the type's tagging.
    handlers: {
      create: ['codedeploy:CreateApplication', 'codedeploy:TagResource'],
      read: ['codedeploy:GetApplication', 'codedeploy:ListTagsForResource'],
      update: ['codedeploy:TagResource', 'codedeploy:UntagResource'],
      delete: ['codedeploy:GetApplication', 'codedeploy:DeleteApplication'],
    },
  },
  'AWS::CodeDeploy::DeploymentGroup': {
    // Registry schema AWS::CodeDeploy::DeploymentGroup (terraform-provider-awscc
    // .../schemas/AWS_CodeDeploy_DeploymentGroup.json). Its deployment calls are those of the
    // group's `Deployment` property (a revision deployed when the group is created), which Lambda
    // groups never have: the aliases' UpdatePolicy deploys (AWS::Lambda::Alias above).
    handlers: {
      create: [
        'codedeploy:CreateDeploymentGroup',
        'codedeploy:CreateDeployment',
        'codedeploy:GetDeployment',
        'codedeploy:GetDeploymentConfig',
        'codedeploy:GetDeploymentGroup',
        'codedeploy:GetApplicationRevision',
        'codedeploy:ListDeployments',
        'codedeploy:RegisterApplicationRevision',
        'codedeploy:RegisterOnPremisesInstance',
        'codedeploy:TagResource',
        'codedeploy:UntagResource',
        'iam:PassRole',
      ],
      read: ['codedeploy:GetDeploymentGroup', 'codedeploy:ListTagsForResource', 'codedeploy:ListDeployments', 'codedeploy:GetDeployment'],
      update: [
        'codedeploy:UpdateDeploymentGroup',
        'codedeploy:TagResource',
        'codedeploy:UntagResource',
        'codedeploy:GetDeployment',
        'codedeploy:CreateDeployment',
        'codedeploy:GetDeploymentConfig',
        'codedeploy:GetApplicationRevision',
        'codedeploy:StopDeployment',
        'codedeploy:ListDeployments',
        'codedeploy:RegisterApplicationRevision',
        'codedeploy:RegisterOnPremisesInstance',
        'iam:PassRole',
      ],
      delete: ['codedeploy:DeleteDeploymentGroup', 'codedeploy:GetDeploymentGroup'],
    },
    notApplicable: {
      'codedeploy:CreateDeployment': 'no Deployment property (the aliases deploy, see AWS::Lambda::Alias)',
      'codedeploy:GetApplicationRevision': 'no Deployment property: no revision',
      'codedeploy:RegisterApplicationRevision': 'no Deployment property: no revision',
      'codedeploy:StopDeployment': 'no Deployment property',
      'codedeploy:RegisterOnPremisesInstance': 'no OnPremisesInstanceTagFilters (ComputePlatform Lambda)',
    },
  },
  'AWS::StepFunctions::StateMachine': {
    // Registry schema AWS::StepFunctions::StateMachine (aws-cloudformation/aws-cloudformation-
    // resource-providers-stepfunctions statemachine/aws-stepfunctions-statemachine.json, 2024-05).
    handlers: {
      create: ['states:CreateStateMachine', 'states:DescribeStateMachine', 'states:TagResource', 'iam:PassRole'],
      read: ['states:DescribeStateMachine', 'states:ListTagsForResource'],
      update: ['states:UpdateStateMachine', 'states:TagResource', 'states:UntagResource', 'states:ListTagsForResource', 'iam:PassRole'],
      delete: ['states:DeleteStateMachine', 'states:DescribeStateMachine'],
    },
    notApplicable: {
      's3:GetObject': 'no DefinitionS3Location (DefinitionString in the template)',
      'kms:DescribeKey': 'no EncryptionConfiguration (AWS owned key)',
      'kms:GenerateDataKey': 'no EncryptionConfiguration',
      'kms:Decrypt': 'no EncryptionConfiguration',
      'logs:CreateLogDelivery': 'no LoggingConfiguration',
    },
  },
  'AWS::CloudWatch::Alarm': {
    handlers: {
      create: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource'],
      read: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'],
      update: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource'],
      delete: ['cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms'],
    },
  },
};

/**
 * What the framework itself calls with the deployer's credentials (osls 4.3.1:
 * lib/plugins/aws/deploy, remove, rollback, info, lib/monitor-stack, lib/update-stack,
 * deploy/lib/check-for-changes), each on what it acts on: `stack`, the deployment `bucket` and its
 * `objects`, the stage's `functions`, or `*` where the action has no resource.
 */
export const FRAMEWORK_CALLS: { action: string; on: 'stack' | 'bucket' | 'objects' | 'functions' | '*'; why: string }[] = [
  { action: 'cloudformation:DescribeStacks', on: 'stack', why: 'deploy/remove/info: does the stack exist, its outputs' },
  { action: 'cloudformation:CreateStack', on: 'stack', why: 'first deploy: the bucket-only stack' },
  { action: 'cloudformation:UpdateStack', on: 'stack', why: 'deploy when change sets are off' },
  { action: 'cloudformation:CreateChangeSet', on: 'stack', why: 'deploy (change sets are the default)' },
  { action: 'cloudformation:DescribeChangeSet', on: 'stack', why: 'wait for the change set' },
  { action: 'cloudformation:ExecuteChangeSet', on: 'stack', why: 'deploy' },
  { action: 'cloudformation:DeleteChangeSet', on: 'stack', why: 'an empty change set, an earlier one' },
  { action: 'cloudformation:DescribeStackEvents', on: 'stack', why: 'monitor the stack while it changes' },
  { action: 'cloudformation:DescribeStackResource', on: 'stack', why: 'the deployment bucket name' },
  { action: 'cloudformation:ListStackResources', on: 'stack', why: 'info, remove' },
  { action: 'cloudformation:GetTemplate', on: 'stack', why: 'rollback, check for changes' },
  { action: 'cloudformation:DeleteStack', on: 'stack', why: 'remove' },
  { action: 'cloudformation:ValidateTemplate', on: '*', why: 'deploy: validate the uploaded template' },
  { action: 's3:ListBucket', on: 'bucket', why: 'HeadBucket, ListObjectsV2 (check for changes, cleanup, remove)' },
  { action: 's3:ListBucketVersions', on: 'bucket', why: 'remove: ListObjectVersions' },
  { action: 's3:PutObject', on: 'objects', why: 'upload the template and zips' },
  { action: 's3:GetObject', on: 'objects', why: 'HeadObject (check for changes); Lambda reads the code with the caller\'s credentials' },
  { action: 's3:DeleteObject', on: 'objects', why: 'cleanup of old deployments, remove' },
  { action: 's3:DeleteObjectVersion', on: 'objects', why: 'remove: DeleteObjects of the versions listed' },
  { action: 'lambda:GetFunction', on: 'functions', why: 'check for changes: the deployed code hash' },
];
