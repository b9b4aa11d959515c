import { LAST_ACTION_AT_TAG, LAST_ACTION_TAG } from '../../../../handlers/domain/scheduling/ec2-actions';
import { EXECUTION_TAG, SOURCE_VOLUME_TAG } from '../../../../handlers/domain/volumes/tasks';
import { ACCOUNT, REGION, SSM_MANAGED_KEY } from '../stack';
import type { Call, Facts } from './types';

/**
 * The calls of the domain code (handlers/domain), shared by the functions whose bundles include it.
 * Each follows the "Permissions" section of the operation in the service's API reference and the
 * Service Authorization Reference (actions, resource types, condition keys).
 */

const required = (facts: Facts, name: string): string => {
  const value = facts.environment[name];
  if (!value) throw new Error(`${facts.functionId} has no ${name}`);
  return value;
};

/** What a KMS key sees when a service encrypts or decrypts with it for the caller (forward access). */
const viaService = (service: string) => ({ 'kms:ViaService': `${service}.${REGION}.amazonaws.com`, 'kms:CallerAccount': ACCOUNT });

const s3Request = { 's3:authType': 'REST-HEADER', 's3:signatureversion': 'AWS4-HMAC-SHA256' };

/**
 * handlers/domain/copying: HeadObject, CopyObject (up to the multipart threshold), and the multipart
 * copy above it. An example key of each bucket stands for every key.
 */
export function copyingCalls(facts: Facts, unreachable?: string): Call[] {
  const source = sourceBucketOf(facts);
  const destination = required(facts, 'DEST_BUCKET');
  const sourceObject = `arn:aws:s3:::${source}/incoming/report.csv`;
  const destinationObject = `arn:aws:s3:::${destination}/${facts.environment.DEST_PREFIX ?? ''}incoming/report.csv`;
  const kmsKey = facts.environment.DEST_SSE_KMS_KEY_ID;
  const encryption: Record<string, string> = {
    ...(facts.environment.DEST_SSE ? { 's3:x-amz-server-side-encryption': facts.environment.DEST_SSE } : {}),
    ...(kmsKey ? { 's3:x-amz-server-side-encryption-aws-kms-key-id': kmsKey } : {}),
    ...(facts.environment.DEST_STORAGE_CLASS ? { 's3:x-amz-storage-class': facts.environment.DEST_STORAGE_CLASS } : {}),
  };
  const copySource = `${source}/incoming/report.csv`;
  const withKms = (operation: string, actions: string[]): Call[] =>
    kmsKey ? actions.map((action) => ({ operation, action, resource: kmsKey, context: viaService('s3'), why: 'the copy is encrypted with copyKmsKeyArn (SSE-KMS)' })) : [];
  const calls: Call[] = [
    { operation: 's3:HeadObject', action: 's3:GetObject', resource: sourceObject, context: s3Request },
    { operation: 's3:HeadObject', action: 's3:GetObjectVersion', resource: sourceObject, context: { ...s3Request, 's3:VersionId': '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' }, why: 'a job that names a version' },
    { operation: 's3:HeadObject', action: 's3:ListBucket', resource: `arn:aws:s3:::${source}`, context: s3Request, why: 'a missing key answers 404, not 403' },
    { operation: 's3:HeadObject', action: 's3:GetObject', resource: destinationObject, context: s3Request, why: 'is the copy there already (a redelivery)?' },
    { operation: 's3:HeadObject', action: 's3:ListBucket', resource: `arn:aws:s3:::${destination}`, context: s3Request, why: 'a copy not made yet answers 404, not 403' },
    { operation: 's3:CopyObject', action: 's3:GetObject', resource: sourceObject, context: s3Request },
    { operation: 's3:CopyObject', action: 's3:GetObjectVersion', resource: sourceObject, context: { ...s3Request, 's3:VersionId': '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' }, why: 'a versioned CopySource' },
    { operation: 's3:CopyObject', action: 's3:GetObjectTagging', resource: sourceObject, context: s3Request, why: 'TaggingDirective COPY reads the tags' },
    { operation: 's3:CopyObject', action: 's3:GetObjectVersionTagging', resource: sourceObject, context: { ...s3Request, 's3:VersionId': '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' }, why: 'tags of a versioned CopySource' },
    {
      operation: 's3:CopyObject',
      action: 's3:PutObject',
      resource: destinationObject,
      context: { ...s3Request, 's3:x-amz-copy-source': copySource, 's3:x-amz-metadata-directive': 'REPLACE', 's3:if-none-match': '*', ...encryption },
    },
    { operation: 's3:CopyObject', action: 's3:PutObjectTagging', resource: destinationObject, context: s3Request, why: 'the copied tags are written' },
    ...withKms('s3:CopyObject', ['kms:GenerateDataKey']),
    { operation: 's3:GetObjectTagging', action: 's3:GetObjectTagging', resource: sourceObject, context: s3Request },
    { operation: 's3:GetObjectTagging', action: 's3:GetObjectVersionTagging', resource: sourceObject, context: { ...s3Request, 's3:VersionId': '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' } },
    { operation: 's3:CreateMultipartUpload', action: 's3:PutObject', resource: destinationObject, context: { ...s3Request, ...encryption } },
    { operation: 's3:CreateMultipartUpload', action: 's3:PutObjectTagging', resource: destinationObject, context: s3Request, why: 'its Tagging header' },
    ...withKms('s3:CreateMultipartUpload', ['kms:GenerateDataKey']),
    { operation: 's3:UploadPartCopy', action: 's3:GetObject', resource: sourceObject, context: s3Request },
    { operation: 's3:UploadPartCopy', action: 's3:GetObjectVersion', resource: sourceObject, context: { ...s3Request, 's3:VersionId': '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' } },
    { operation: 's3:UploadPartCopy', action: 's3:PutObject', resource: destinationObject, context: { ...s3Request, 's3:x-amz-copy-source': copySource } },
    ...withKms('s3:UploadPartCopy', ['kms:Decrypt', 'kms:GenerateDataKey']),
    { operation: 's3:CompleteMultipartUpload', action: 's3:PutObject', resource: destinationObject, context: s3Request },
    ...withKms('s3:CompleteMultipartUpload', ['kms:Decrypt']),
    { operation: 's3:AbortMultipartUpload', action: 's3:AbortMultipartUpload', resource: destinationObject, context: s3Request },
    { operation: 's3:ListParts', action: 's3:ListMultipartUploadParts', resource: destinationObject, context: s3Request, why: 'no part left after an abort?' },
    ...withKms('s3:ListParts', ['kms:Decrypt']),
  ];
  return unreachable ? calls.map((call) => ({ ...call, unreachable })) : calls;
}

/** The copier reads the source bucket its environment names; the consumer's copy-object job is given one per job (the stack's source bucket). */
function sourceBucketOf(facts: Facts): string {
  if (facts.environment.SOURCE_BUCKET) return facts.environment.SOURCE_BUCKET;
  const [copier] = Object.values(facts.stack.functions).filter((fn) => fn.environment.SOURCE_BUCKET);
  if (!copier?.environment.SOURCE_BUCKET) throw new Error('no function names the source bucket');
  return copier.environment.SOURCE_BUCKET;
}

/** handlers/domain/notifications/publish.ts: Publish to the notifications topic, and the KMS calls SNS makes for it on an encrypted topic. */
export function publishCalls(facts: Facts, unreachable?: string): Call[] {
  const topic = facts.environment.NOTIFICATIONS_TOPIC_ARN ?? facts.stack.arn('NotificationsTopic');
  const key = facts.topicKeyArn(topic);
  const calls: Call[] = [
    { operation: 'sns:Publish', action: 'sns:Publish', resource: topic },
    ...(key
      ? ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({
          operation: 'sns:Publish',
          action,
          resource: key,
          context: viaService('sns'),
          why: 'SNS encrypts the message with the topic key, as the publisher',
        }))
      : []),
  ];
  return unreachable ? calls.map((call) => ({ ...call, unreachable })) : calls;
}

const INSTANCE = 'i-0123456789abcdef0';
const VOLUME = 'vol-0123456789abcdef0';

/** handlers/domain/scheduling/ec2-actions.ts: describe the scheduled instances, start or stop them, record the action. */
export function schedulingCalls(facts: Facts): Call[] {
  const key = required(facts, 'SCHEDULE_TAG_KEY');
  const instance = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${INSTANCE}`;
  const tagged = { [`aws:ResourceTag/${key}`]: 'office-hours', [`ec2:ResourceTag/${key}`]: 'office-hours', 'ec2:Region': REGION, 'ec2:InstanceID': INSTANCE };
  return [
    { operation: 'ec2:DescribeInstances', action: 'ec2:DescribeInstances', resource: '*', context: { 'ec2:Region': REGION }, why: 'no resource-level permissions' },
    { operation: 'ec2:StartInstances', action: 'ec2:StartInstances', resource: instance, context: tagged },
    { operation: 'ec2:StopInstances', action: 'ec2:StopInstances', resource: instance, context: tagged, why: 'also with Hibernate, and each DryRun' },
    {
      operation: 'ec2:CreateTags',
      action: 'ec2:CreateTags',
      resource: instance,
      context: {
        ...tagged,
        [`aws:RequestTag/${LAST_ACTION_TAG}`]: 'stopped',
        [`aws:RequestTag/${LAST_ACTION_AT_TAG}`]: '2026-12-03T18:00:00.000Z',
        'aws:TagKeys': [LAST_ACTION_TAG, LAST_ACTION_AT_TAG],
      },
      why: 'the last action and its time',
    },
  ];
}

/**
 * handlers/domain/volumes/tasks.ts, the volume retirement's steps: list the unattached volumes,
 * check one again, snapshot it (tagged with its own tags, its id and the execution), poll the
 * snapshot, delete the volume. A dry run sends CreateSnapshot and DeleteVolume with DryRun, which
 * EC2 authorizes as the real call.
 */
export function volumeCalls(facts: Facts): Call[] {
  const keep = required(facts, 'VOLUME_KEEP_TAG_KEY');
  const volume = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${VOLUME}`;
  // An unattached volume without the keep tag (it carries others, copied to its snapshot).
  const unkept = { 'aws:ResourceTag/Name': 'build-cache', 'ec2:ResourceTag/Name': 'build-cache', 'ec2:Region': REGION };
  const snapshot = `arn:aws:ec2:${REGION}::snapshot/*`;
  const snapshotTags = { Name: 'build-cache', [SOURCE_VOLUME_TAG]: VOLUME, [EXECUTION_TAG]: 'scheduled-2026-12-03' };
  const requestTags = { ...Object.fromEntries(Object.entries(snapshotTags).map(([k, v]) => [`aws:RequestTag/${k}`, v])), 'aws:TagKeys': Object.keys(snapshotTags) };
  if (Object.keys(snapshotTags).includes(keep)) throw new Error(`the example snapshot must not carry the keep tag ${keep}`);
  return [
    { operation: 'ec2:DescribeVolumes', action: 'ec2:DescribeVolumes', resource: '*', context: { 'ec2:Region': REGION }, why: 'no resource-level permissions' },
    { operation: 'ec2:DescribeSnapshots', action: 'ec2:DescribeSnapshots', resource: '*', context: { 'ec2:Region': REGION }, why: 'no resource-level permissions' },
    { operation: 'ec2:CreateSnapshot', action: 'ec2:CreateSnapshot', resource: volume, context: unkept, why: `the volume it snapshots (no ${keep} tag)` },
    { operation: 'ec2:CreateSnapshot', action: 'ec2:CreateSnapshot', resource: snapshot, context: { 'ec2:Region': REGION, ...requestTags }, why: 'the snapshot it creates' },
    {
      operation: 'ec2:CreateSnapshot',
      action: 'ec2:CreateTags',
      resource: snapshot,
      context: { 'ec2:Region': REGION, 'ec2:CreateAction': 'CreateSnapshot', ...requestTags },
      why: 'its TagSpecifications',
    },
    { operation: 'ec2:DeleteVolume', action: 'ec2:DeleteVolume', resource: volume, context: unkept, why: `no ${keep} tag` },
  ];
}

/**
 * handlers/domain/releases/pre-traffic-check.ts, for each deployment group HOOK_TARGETS names:
 * read the deployment (its group), invoke the new version (its qualified ARN), report the verdict.
 * Where no release runs the hook (HOOK_TARGETS {}), CodeDeploy never invokes it: its calls are
 * never sent, and its role grants none.
 */
export function preTrafficCalls(facts: Facts): Call[] {
  const targets = JSON.parse(required(facts, 'HOOK_TARGETS')) as Record<string, { function: string; version: string }>;
  const groups = facts.stack.ofType('AWS::CodeDeploy::DeploymentGroup');
  const groupArn = (name: string) => {
    const group = groups.find(([, g]) => g.Properties.DeploymentGroupName === name);
    if (!group) throw new Error(`HOOK_TARGETS names ${name}, which is not a deployment group of the stack`);
    return `arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentgroup:${String(group[1].Properties.ApplicationName)}/${name}`;
  };
  const entries = Object.entries(targets);
  if (entries.length === 0) {
    const unreachable = 'no release runs the hook on this stage (param preTrafficHook is empty)';
    const anyGroup = groups[0] ? groupArn(String(groups[0][1].Properties.DeploymentGroupName)) : `arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentgroup:app/group`;
    const anyVersion = `${Object.values(facts.stack.functions).find((fn) => fn.name.endsWith('-sqsConsumer'))?.arn ?? ''}:1`;
    return [
      { operation: 'codedeploy:GetDeployment', action: 'codedeploy:GetDeployment', resource: anyGroup, unreachable },
      { operation: 'lambda:Invoke', action: 'lambda:InvokeFunction', resource: anyVersion, unreachable },
      { operation: 'codedeploy:PutLifecycleEventHookExecutionStatus', action: 'codedeploy:PutLifecycleEventHookExecutionStatus', resource: '*', unreachable },
    ];
  }
  return entries.flatMap(([group, target]): Call[] => [
    { operation: 'codedeploy:GetDeployment', action: 'codedeploy:GetDeployment', resource: groupArn(group), why: `a deployment of ${target.function}'s group` },
    { operation: 'lambda:Invoke', action: 'lambda:InvokeFunction', resource: target.version, why: `${target.function}'s new version, with its sample event` },
    {
      operation: 'codedeploy:PutLifecycleEventHookExecutionStatus',
      action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
      resource: '*',
      why: 'the Service Authorization Reference gives this action no resource type: only "*" matches',
    },
  ]);
}

/** handlers/platform/parameters.ts: a SecureString read through Powertools (GetParameter, WithDecryption), decrypted by SSM with the AWS managed key aws/ssm. */
export function parameterCalls(facts: Facts): Call[] {
  const name = facts.environment.WEBHOOK_URLS_PARAMETER;
  if (!name) return [];
  return [
    { operation: 'ssm:GetParameter', action: 'ssm:GetParameter', resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}` },
    { operation: 'ssm:GetParameter', action: 'kms:Decrypt', resource: SSM_MANAGED_KEY, context: viaService('ssm'), why: 'SSM decrypts the SecureString (aws/ssm) as the caller' },
  ];
}
