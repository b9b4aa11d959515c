import { LAST_ACTION_AT_TAG, LAST_ACTION_TAG } from '../../../handlers/domain/scheduling/ec2-actions';
import { COPY_KMS_KEY } from '../packaged-templates';
import { deliveriesOf } from './deliveries';
import { type Context, type Decision, evaluate, type Request } from './engine';
import { callsOf, describeCall, ownerOf } from './evaluate-call';
import { ACCOUNT, OTHER_ACCOUNT, REGION, type Stack, deployedStack } from './stack';

/**
 * What the deployed stages must refuse, evaluated by @cloud-copilot/iam-simulate: a function using a
 * bucket, queue, topic, key or parameter it does not own (implicitly denied: nothing grants it), the
 * scheduler and the volume retirement acting outside their tags, the workflow's and CodeDeploy's
 * roles beyond their work, any request without TLS (explicitly denied by the resources'
 * policies), and anyone of another account (implicitly denied: no resource policy lets them in).
 */
type Case = { name: string; request: Request; expected: Decision };

const tls = { 'aws:SecureTransport': 'true' };

function asFunction(stack: Stack, functionId: string, action: string, resource: string, context: Context = {}): Request {
  const fn = stack.functions[functionId];
  if (!fn) throw new Error(`no function ${functionId}`);
  return {
    principal: stack.sessionOf(functionId),
    action,
    resource,
    resourceAccount: ownerOf(resource),
    context: { ...tls, 'aws:PrincipalAccount': ACCOUNT, 'ec2:Region': REGION, ...context },
    identityPolicies: stack.identityPolicies(fn.roleId),
    resourcePolicy: resource === '*' ? undefined : stack.resourcePolicyOf(resource),
  };
}

const short = (id: string) => id.replace('LambdaFunction', '');

/** A function touching what is not its own. */
function notItsOwn(stack: Stack): Case[] {
  const bucket = (id: string) => String(stack.resources[id]?.Properties.BucketName);
  const source = bucket('S3BucketSource');
  const destination = bucket('DestinationBucket');
  const deployment = bucket('ServerlessDeploymentBucket');
  const key = stack.arn('TopicsKey');
  const parameter = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;
  const webhooks = stack.functions.SnsNotifierLambdaFunction?.environment.WEBHOOK_URLS_PARAMETER ?? '';
  const all = Object.keys(stack.functions);
  const implicit = (functionId: string, what: string, action: string, resource: string, context: Context = {}): Case => ({
    name: `${short(functionId)} ${what}: ${action}`,
    request: asFunction(stack, functionId, action, resource, context),
    expected: 'ImplicitlyDenied',
  });
  return [
    ...all.flatMap((fn) => [
      implicit(fn, "reads another account's bucket", 's3:GetObject', 'arn:aws:s3:::someone-elses-bucket/report.csv'),
      implicit(fn, 'reads the deployment bucket (the packaged code)', 's3:GetObject', `arn:aws:s3:::${deployment}/serverless/code.zip`),
      implicit(fn, 'deletes a source object', 's3:DeleteObject', `arn:aws:s3:::${source}/incoming/report.csv`),
      implicit(fn, 'deletes a copy', 's3:DeleteObject', `arn:aws:s3:::${destination}/incoming/report.csv`),
      implicit(fn, 'reads the audit queue', 'sqs:ReceiveMessage', stack.arn('AuditQueue')),
      implicit(fn, 'reads the async failures queue', 'sqs:ReceiveMessage', stack.arn('AsyncFailuresQueue')),
      implicit(fn, 'reads the work dead-letter queue', 'sqs:ReceiveMessage', stack.arn('WorkDeadLetterQueue')),
      implicit(fn, 'publishes to the alarms topic', 'sns:Publish', stack.arn('AlarmsTopic')),
      implicit(fn, 'subscribes to the notifications topic', 'sns:Subscribe', stack.arn('NotificationsTopic')),
      implicit(fn, 'decrypts with the topics key directly (not through SNS)', 'kms:Decrypt', key, { 'kms:CallerAccount': ACCOUNT }),
      implicit(fn, 'reads another parameter', 'ssm:GetParameter', parameter('/messaging-workers/other/secret')),
    ]),
    implicit('S3CopierLambdaFunction', 'writes to the source bucket', 's3:PutObject', `arn:aws:s3:::${source}/incoming/copy.csv`),
    implicit('S3CopierLambdaFunction', 'reads the work queue', 'sqs:ReceiveMessage', stack.arn('WorkQueue')),
    implicit('SqsConsumerLambdaFunction', 'writes to the source bucket', 's3:PutObject', `arn:aws:s3:::${source}/incoming/copy.csv`),
    implicit('Ec2SchedulerLambdaFunction', 'reads a source object', 's3:GetObject', `arn:aws:s3:::${source}/incoming/report.csv`),
    implicit('SnsNotifierLambdaFunction', 'reads a source object', 's3:GetObject', `arn:aws:s3:::${source}/incoming/report.csv`),
    implicit('SnsNotifierLambdaFunction', 'publishes to the notifications topic', 'sns:Publish', stack.arn('NotificationsTopic')),
    implicit('SnsNotifierLambdaFunction', 'uses the topics key through SNS', 'kms:GenerateDataKey', key, { 'kms:ViaService': `sns.${REGION}.amazonaws.com`, 'kms:CallerAccount': ACCOUNT }),
    ...all.filter((fn) => fn !== 'SnsNotifierLambdaFunction').map((fn) => implicit(fn, 'reads the webhook URLs', 'ssm:GetParameter', parameter(webhooks))),
    // The copies' key (copyKmsKeyArn): through S3 only where one is configured, not at all elsewhere.
    ...all.flatMap((fn) => {
      const copyKey = stack.functions[fn]?.environment.DEST_SSE_KMS_KEY_ID;
      return copyKey
        ? [implicit(fn, "decrypts with the copies' key directly (not through S3)", 'kms:Decrypt', copyKey, { 'kms:CallerAccount': ACCOUNT })]
        : [implicit(fn, 'uses a KMS key of the account through S3 (no copies key configured)', 'kms:GenerateDataKey', COPY_KMS_KEY, { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:CallerAccount': ACCOUNT })];
    }),
  ];
}

/**
 * The scheduler (and the consumer's schedule-instances job) outside the schedule tag, and the volume
 * retirement outside the keep tag: a volume carrying it, whatever its value, is neither snapshotted
 * nor deleted; no other function touches volumes.
 */
function outsideItsTags(stack: Stack): Case[] {
  const scheduleKey = stack.functions.Ec2SchedulerLambdaFunction?.environment.SCHEDULE_TAG_KEY ?? '';
  const keepKey = stack.functions.VolumeRetirementLambdaFunction?.environment.VOLUME_KEEP_TAG_KEY ?? '';
  const instance = `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0fedcba9876543210`;
  const volume = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0fedcba9876543210`;
  const scheduled = { [`aws:ResourceTag/${scheduleKey}`]: 'office-hours', [`ec2:ResourceTag/${scheduleKey}`]: 'office-hours' };
  const untagged = { 'aws:ResourceTag/Name': 'build-box', 'ec2:ResourceTag/Name': 'build-box' };
  const kept = (value: string) => ({ [`aws:ResourceTag/${keepKey}`]: value, [`ec2:ResourceTag/${keepKey}`]: value });
  const tagging = (keys: Record<string, string>) => ({ ...Object.fromEntries(Object.entries(keys).map(([k, v]) => [`aws:RequestTag/${k}`, v])), 'aws:TagKeys': Object.keys(keys) });
  const implicit = (functionId: string, what: string, action: string, resource: string, context: Context): Case => ({
    name: `${short(functionId)} ${what}: ${action}`,
    request: asFunction(stack, functionId, action, resource, context),
    expected: 'ImplicitlyDenied',
  });
  const retirement = 'VolumeRetirementLambdaFunction';
  return [
    ...['Ec2SchedulerLambdaFunction', 'SqsConsumerLambdaFunction'].flatMap((fn) => [
      implicit(fn, `stops an instance without the ${scheduleKey} tag`, 'ec2:StopInstances', instance, untagged),
      implicit(fn, `starts an instance without the ${scheduleKey} tag`, 'ec2:StartInstances', instance, untagged),
      implicit(fn, 'records its last action on an instance without the schedule tag', 'ec2:CreateTags', instance, { ...untagged, ...tagging({ [LAST_ACTION_TAG]: 'stopped', [LAST_ACTION_AT_TAG]: '2026-12-03T18:00:00.000Z' }) }),
      implicit(fn, "rewrites a scheduled instance's schedule tag", 'ec2:CreateTags', instance, { ...scheduled, ...tagging({ [scheduleKey]: 'always-on' }) }),
      implicit(fn, 'terminates a scheduled instance', 'ec2:TerminateInstances', instance, scheduled),
      implicit(fn, 'deletes an untagged unattached volume (retiring volumes is not its job)', 'ec2:DeleteVolume', volume, untagged),
      implicit(fn, 'snapshots an untagged volume (retiring volumes is not its job)', 'ec2:CreateSnapshot', volume, untagged),
    ]),
    implicit(retirement, `deletes a volume carrying the ${keepKey} tag`, 'ec2:DeleteVolume', volume, kept('true')),
    implicit(retirement, `deletes a volume whose ${keepKey} tag is "false" (the tag keeps it, whatever its value)`, 'ec2:DeleteVolume', volume, kept('false')),
    implicit(retirement, `snapshots a volume carrying the ${keepKey} tag`, 'ec2:CreateSnapshot', volume, kept('true')),
    implicit(retirement, `tags a volume with the ${keepKey} key`, 'ec2:CreateTags', volume, tagging({ [keepKey]: 'false' })),
    implicit(retirement, `removes the ${keepKey} tag of a volume`, 'ec2:DeleteTags', volume, { ...kept('true'), 'aws:TagKeys': [keepKey] }),
    implicit(retirement, 'tags a snapshot outside CreateSnapshot', 'ec2:CreateTags', `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`, tagging({ 'retirement:source-volume': 'vol-1' })),
    implicit(retirement, 'deletes a snapshot', 'ec2:DeleteSnapshot', `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`, {}),
    implicit(retirement, 'detaches a volume from its instance', 'ec2:DetachVolume', volume, untagged),
    implicit(retirement, 'stops an instance', 'ec2:StopInstances', instance, scheduled),
  ];
}

/** A role a service assumes (Step Functions, EventBridge, CodeDeploy), as that service acting with it. */
function asServiceRole(stack: Stack, roleId: string, action: string, resource: string): Request {
  return {
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleId}/session`,
    action,
    resource,
    resourceAccount: ownerOf(resource),
    context: { ...tls, 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/${roleId}` },
    identityPolicies: stack.identityPolicies(roleId),
    resourcePolicy: stack.resourcePolicyOf(resource),
  };
}

/**
 * The workflow's and the releases' roles beyond their work: the state machine's role invoking
 * anything but volumeRetirement:live, its schedule's role starting another machine, CodeDeploy's
 * role moving an alias that is not one of this stage's live aliases or changing a function.
 */
function serviceRolesBeyondTheirWork(stack: Stack): Case[] {
  const fn = (id: string) => stack.functions[id]?.arn ?? '';
  const retirement = fn('VolumeRetirementLambdaFunction');
  const otherStage = (arn: string) => arn.replace(`-${stack.label.split('-')[0] ?? ''}-`, '-other-');
  const denied = (roleId: string, what: string, action: string, resource: string): Case => ({
    name: `${roleId} ${what}: ${action}`,
    request: asServiceRole(stack, roleId, action, resource),
    expected: 'ImplicitlyDenied',
  });
  const cases: Case[] = [
    denied('RetireVolumesFlowRole', 'invokes volumeRetirement unqualified ($LATEST)', 'lambda:InvokeFunction', retirement),
    denied('RetireVolumesFlowRole', 'invokes volumeRetirement:$LATEST', 'lambda:InvokeFunction', `${retirement}:$LATEST`),
    denied('RetireVolumesFlowRole', 'invokes a version of volumeRetirement', 'lambda:InvokeFunction', `${retirement}:1`),
    denied('RetireVolumesFlowRole', "invokes another stage's volumeRetirement:live", 'lambda:InvokeFunction', `${otherStage(retirement)}:live`),
    ...Object.entries(stack.functions)
      .filter(([id]) => id !== 'VolumeRetirementLambdaFunction')
      .map(([id, other]) => denied('RetireVolumesFlowRole', `invokes ${short(id)}:live`, 'lambda:InvokeFunction', `${other.arn}:live`)),
    denied('RetireVolumesFlowRole', 'deletes a volume itself', 'ec2:DeleteVolume', `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0fedcba9876543210`),
    denied('RetireVolumesRuleRole', 'starts another state machine', 'states:StartExecution', `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:another-machine`),
    denied('RetireVolumesRuleRole', 'invokes volumeRetirement:live directly', 'lambda:InvokeFunction', `${retirement}:live`),
  ];
  if (stack.resources.CodeDeployServiceRole) {
    const consumer = fn('SqsConsumerLambdaFunction');
    cases.push(
      denied('CodeDeployServiceRole', "moves another stage's live alias", 'lambda:UpdateAlias', `${otherStage(consumer)}:live`),
      denied('CodeDeployServiceRole', 'moves an alias other than live', 'lambda:UpdateAlias', `${consumer}:canary`),
      denied('CodeDeployServiceRole', 'changes the code of a function', 'lambda:UpdateFunctionCode', consumer),
      denied('CodeDeployServiceRole', 'invokes a worker', 'lambda:InvokeFunction', `${consumer}:live`),
      denied('CodeDeployServiceRole', "reads another service's alarms", 'cloudwatch:DescribeAlarms', `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:billing-total`),
    );
  }
  return cases;
}

/** Every allowed call and delivery to a resource with a policy (bucket, queue, topic), without TLS. */
function withoutTls(stack: Stack): Case[] {
  const hasTlsPolicy = (arn: string) => /^arn:aws:(s3|sqs|sns):/.test(arn);
  const calls = callsOf(stack).flatMap(({ functionId, calls: rows }) =>
    rows
      .filter((call) => !call.unreachable && hasTlsPolicy(call.resource))
      .map((call) => ({ functionId, call })),
  );
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (const { functionId, call } of calls) {
    const name = `${short(functionId)}: ${describeCall(call)} over plain HTTP`;
    if (seen.has(name)) continue;
    seen.add(name);
    const request = asFunction(stack, functionId, call.action, call.resource, call.context);
    cases.push({ name, request: { ...request, context: { ...request.context, 'aws:SecureTransport': 'false' } }, expected: 'ExplicitlyDenied' });
  }
  for (const delivery of deliveriesOf(stack).filter((d) => hasTlsPolicy(d.resource))) {
    const name = `${delivery.path}: ${delivery.action} over plain HTTP`;
    if (seen.has(name)) continue;
    seen.add(name);
    cases.push({
      name,
      request: { ...delivery, resourceAccount: ownerOf(delivery.resource), resourcePolicy: stack.resourcePolicyOf(delivery.resource), context: { ...delivery.context, 'aws:SecureTransport': 'false' } },
      expected: 'ExplicitlyDenied',
    });
  }
  // Every bucket, queue and topic, even those no function calls, for an account administrator.
  const admin = { principal: `arn:aws:iam::${ACCOUNT}:role/Admin`, identityPolicies: [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] } }] };
  const probes: [string, string, string][] = [
    ...stack.ofType('AWS::S3::Bucket').flatMap(([id, b]): [string, string, string][] => [
      [id, 's3:GetObject', `arn:aws:s3:::${String(b.Properties.BucketName)}/any-key`],
      [id, 's3:ListBucket', `arn:aws:s3:::${String(b.Properties.BucketName)}`],
    ]),
    ...stack.ofType('AWS::SQS::Queue').flatMap(([id]): [string, string, string][] => [
      [id, 'sqs:SendMessage', stack.arn(id)],
      [id, 'sqs:ReceiveMessage', stack.arn(id)],
    ]),
    ...stack.ofType('AWS::SNS::Topic').flatMap(([id]): [string, string, string][] => [
      [id, 'sns:Publish', stack.arn(id)],
      [id, 'sns:Subscribe', stack.arn(id)],
    ]),
  ];
  for (const [id, action, resource] of probes) {
    cases.push({
      name: `an administrator of the account: ${action} on ${id} over plain HTTP`,
      request: { ...admin, action, resource, resourceAccount: ACCOUNT, context: { 'aws:SecureTransport': 'false', 'aws:PrincipalAccount': ACCOUNT }, resourcePolicy: stack.resourcePolicyOf(resource) },
      expected: 'ExplicitlyDenied',
    });
  }
  return cases;
}

/** Principals of another account: a role that allows itself everything, and services acting for that account. */
function anotherAccount(stack: Stack): Case[] {
  const intruder = {
    principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/intruder`,
    identityPolicies: [{ name: 'everything', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] } }],
  };
  const byIntruder = (what: string, action: string, resource: string, context: Context = {}): Case => ({
    name: `a role of another account ${what}: ${action}`,
    request: { ...intruder, action, resource, resourceAccount: ACCOUNT, context: { ...tls, 'aws:PrincipalAccount': OTHER_ACCOUNT, ...context }, resourcePolicy: stack.resourcePolicyOf(resource) },
    expected: 'ImplicitlyDenied',
  });
  const source = String(stack.resources.S3BucketSource?.Properties.BucketName);
  const destination = String(stack.resources.DestinationBucket?.Properties.BucketName);
  const cases: Case[] = [
    byIntruder('reads a source object', 's3:GetObject', `arn:aws:s3:::${source}/incoming/report.csv`),
    byIntruder('writes a copy', 's3:PutObject', `arn:aws:s3:::${destination}/incoming/report.csv`),
    byIntruder('sends a job', 'sqs:SendMessage', stack.arn('WorkQueue')),
    byIntruder('reads the audit queue', 'sqs:ReceiveMessage', stack.arn('AuditQueue')),
    byIntruder('publishes a notification', 'sns:Publish', stack.arn('NotificationsTopic')),
    byIntruder('subscribes to the alarms', 'sns:Subscribe', stack.arn('AlarmsTopic')),
    byIntruder('decrypts with the topics key', 'kms:Decrypt', stack.arn('TopicsKey'), { 'kms:CallerAccount': OTHER_ACCOUNT }),
    ...Object.entries(stack.functions).map(([id, fn]) => byIntruder(`invokes ${short(id)}`, 'lambda:InvokeFunction', fn.arn)),
  ];
  // Another service assuming a function's role.
  for (const [id, fn] of Object.entries(stack.functions)) {
    const role = stack.arn(fn.roleId);
    cases.push({
      name: `ec2.amazonaws.com assumes ${fn.roleId} (${short(id)}): sts:AssumeRole`,
      request: { principal: 'ec2.amazonaws.com', identityPolicies: [], action: 'sts:AssumeRole', resource: role, resourceAccount: ACCOUNT, context: { ...tls, 'aws:SourceAccount': ACCOUNT }, resourcePolicy: stack.resourcePolicyOf(role) },
      expected: 'ImplicitlyDenied',
    });
  }
  // Services the key and topic policies do not name, for this account's own resources.
  const alarmsTopic = stack.arn('AlarmsTopic');
  const otherStageAlarm = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:messaging-workers-other-work-queue-backlog-age`;
  for (const [principal, sourceArn] of [
    ['events.amazonaws.com', `arn:aws:events:${REGION}:${ACCOUNT}:rule/any-rule`],
    ['s3.amazonaws.com', `arn:aws:s3:::${source}`],
    ['cloudwatch.amazonaws.com', otherStageAlarm],
  ] as const) {
    const context = { ...tls, 'aws:SourceArn': sourceArn, 'aws:SourceAccount': ACCOUNT };
    const who = principal === 'cloudwatch.amazonaws.com' ? 'an alarm of another stage' : principal;
    cases.push(
      { name: `${who} publishes to the alarms topic: sns:Publish`, request: { principal, identityPolicies: [], action: 'sns:Publish', resource: alarmsTopic, resourceAccount: ACCOUNT, context, resourcePolicy: stack.resourcePolicyOf(alarmsTopic) }, expected: 'ImplicitlyDenied' },
      { name: `${who} uses the topics key: kms:GenerateDataKey`, request: { principal, identityPolicies: [], action: 'kms:GenerateDataKey', resource: stack.arn('TopicsKey'), resourceAccount: ACCOUNT, context, resourcePolicy: stack.resourcePolicyOf(stack.arn('TopicsKey')) }, expected: 'ImplicitlyDenied' },
    );
  }
  // The stack's own deliveries, as a service would make them for another account's resource.
  const foreign = (arn: string) => arn.replace(`:${ACCOUNT}:`, `:${OTHER_ACCOUNT}:`);
  // Not Lambda assuming a role: another account's function cannot be given our role (iam:PassRole
  // names roles of the caller's account only), and the request carries no source keys to refuse.
  for (const delivery of deliveriesOf(stack).filter((d) => d.identityPolicies.length === 0 && d.action !== 'sts:AssumeRole')) {
    const sourceArn = String(delivery.context['aws:SourceArn']);
    // An S3 bucket ARN names no account: the same name in another account differs only by aws:SourceAccount.
    const otherSource = sourceArn.startsWith('arn:aws:s3:::') ? sourceArn : foreign(sourceArn);
    cases.push({
      name: `${delivery.principal} for another account (${delivery.path}): ${delivery.action}`,
      request: {
        ...delivery,
        resourceAccount: ownerOf(delivery.resource),
        resourcePolicy: stack.resourcePolicyOf(delivery.resource),
        context: { ...delivery.context, 'aws:SourceArn': otherSource, 'aws:SourceAccount': OTHER_ACCOUNT },
      },
      expected: 'ImplicitlyDenied',
    });
  }
  return cases;
}

describe.each(['dev', 'prod', 'prod-copy-kms'])('what the deployed stack refuses (%s)', (label) => {
  const stack = deployedStack(label);
  const groups: [string, Case[]][] = [
    ['a function using what is not its own (implicitly denied)', notItsOwn(stack)],
    ['the scheduler and the volume retirement outside their tags (implicitly denied)', outsideItsTags(stack)],
    ['the state machine, schedule and CodeDeploy roles beyond their work (implicitly denied)', serviceRolesBeyondTheirWork(stack)],
    ['requests without TLS (explicitly denied)', withoutTls(stack)],
    ['principals of another account, and services the policies do not name (implicitly denied)', anotherAccount(stack)],
  ];

  describe.each(groups)('%s', (_group, cases) => {
    it.each(cases.map((c) => ({ ...c, label: `${c.name} is ${c.expected}` })))('$label', async ({ request, expected }) => {
      const { decision } = await evaluate(request);

      expect(decision).toBe(expected);
    });
  });
});
