import type { Context } from './engine';
import type { NamedPolicy, Stack } from './stack';
import { ACCOUNT, REGION } from './stack';

/**
 * What AWS services do for the stack, read from the template: SNS delivering to its SQS and Lambda
 * subscriptions and to their dead-letter queue, S3 and EventBridge invoking functions, CloudWatch
 * alarms publishing to their topic (and using its KMS key), and what Lambda does with a function's
 * role: assume it (its trust policy), poll its SQS event sources, send failed asynchronous events to
 * the on-failure destination, write its logs. Each as the request AWS makes: the service principal, `aws:SourceArn` and
 * `aws:SourceAccount` as the service sends them, or the function's role session.
 */
export interface Delivery {
  /** What delivers to what, for the test name and the docs table. */
  path: string;
  principal: string;
  /** The role's policies, when Lambda acts with the function's role; none for a service principal. */
  identityPolicies: NamedPolicy[];
  action: string;
  resource: string;
  context: Context;
  /** Whose request it is, for the table (a service, or a function's role). */
  by: string;
}

export function deliveriesOf(stack: Stack): Delivery[] {
  const name = (arn: string) => stack.logicalIdOf(arn) ?? arn.split(/[:/]/).pop() ?? arn;
  const deliveries: Delivery[] = [];
  const service = (principal: string, sourceArn: string, path: string, action: string, resource: string): Delivery => ({
    path,
    principal,
    identityPolicies: [],
    action,
    resource,
    context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': ACCOUNT, 'aws:SecureTransport': 'true' },
    by: principal,
  });
  const queueKey = (queueArn: string): string | undefined => {
    const queue = stack.ofType('AWS::SQS::Queue').find(([id]) => stack.arn(id) === queueArn);
    const key = queue?.[1].Properties.KmsMasterKeyId as string | undefined;
    return key && (key.startsWith('arn:') ? key : `arn:aws:kms:${REGION}:${ACCOUNT}:key/${key}`);
  };
  const topicKey = (topicArn: string): string | undefined => {
    const topic = stack.ofType('AWS::SNS::Topic').find(([id]) => stack.arn(id) === topicArn);
    const key = topic?.[1].Properties.KmsMasterKeyId as string | undefined;
    return key && (key.startsWith('arn:') ? key : `arn:aws:kms:${REGION}:${ACCOUNT}:key/${key}`);
  };
  // A service writing to a CMK-encrypted queue or topic uses the key as itself (the key policy must let it).
  const withKey = (delivery: Delivery, key: string | undefined): Delivery[] =>
    key ? [delivery, ...['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({ ...delivery, path: `${delivery.path} (its KMS key)`, action, resource: key }))] : [delivery];

  for (const [id, subscription] of stack.ofType('AWS::SNS::Subscription')) {
    const { TopicArn: topic, Protocol: protocol, Endpoint: endpoint, RedrivePolicy: redrive } = subscription.Properties as {
      TopicArn: string;
      Protocol: string;
      Endpoint: string;
      RedrivePolicy?: { deadLetterTargetArn?: string };
    };
    const from = `SNS ${name(topic)}`;
    if (protocol === 'sqs') deliveries.push(...withKey(service('sns.amazonaws.com', topic, `${from} -> SQS ${name(endpoint)}`, 'sqs:SendMessage', endpoint), queueKey(endpoint)));
    else if (protocol === 'lambda') deliveries.push(service('sns.amazonaws.com', topic, `${from} -> Lambda ${name(endpoint)}`, 'lambda:InvokeFunction', endpoint));
    else if (protocol !== 'email') throw new Error(`${id}: no delivery model for protocol ${protocol}`);
    const dlq = redrive?.deadLetterTargetArn;
    if (dlq) deliveries.push(...withKey(service('sns.amazonaws.com', topic, `${from} -> SQS ${name(dlq)} (DLQ of ${id})`, 'sqs:SendMessage', dlq), queueKey(dlq)));
  }

  for (const [id, bucket] of stack.ofType('AWS::S3::Bucket')) {
    const bucketArn = `arn:aws:s3:::${String(bucket.Properties.BucketName)}`;
    const configuration = (bucket.Properties.NotificationConfiguration ?? {}) as Record<string, { Function?: string; Queue?: string; Topic?: string }[]>;
    for (const [kind, targets] of Object.entries(configuration)) {
      for (const target of targets) {
        if (kind === 'LambdaConfigurations' && target.Function) deliveries.push(service('s3.amazonaws.com', bucketArn, `S3 ${name(bucketArn)} -> Lambda ${name(target.Function)}`, 'lambda:InvokeFunction', target.Function));
        else if (kind !== 'EventBridgeConfiguration') throw new Error(`${id}: no delivery model for ${kind}`);
      }
    }
  }

  // A function by its name, its ARN, or its alias's or version's ARN.
  const functionIdOf = (functionArnOrName: string): string => {
    const unqualified = functionArnOrName.startsWith('arn:') ? functionArnOrName.split(':').slice(0, 7).join(':') : functionArnOrName;
    const entry = Object.entries(stack.functions).find(([, fn]) => fn.arn === unqualified || fn.name === unqualified);
    if (!entry) throw new Error(`${functionArnOrName} is not a function of the stack`);
    return entry[0];
  };
  // A service acting with a role of the stack it assumed (EventBridge's target role, Step Functions'
  // and CodeDeploy's service roles): the role session and the role's policies.
  const roleIdOf = (roleArn: string): string => {
    const found = stack.ofType('AWS::IAM::Role').find(([id]) => stack.arn(id) === roleArn);
    if (!found) throw new Error(`${roleArn} is not a role of the stack`);
    return found[0];
  };
  const assumes = (principal: string, sourceArn: string, path: string, roleId: string): Delivery => ({
    ...service(principal, sourceArn, `${path}: assumes ${roleId}`, 'sts:AssumeRole', stack.arn(roleId)),
  });
  const asServiceRole = (roleId: string, servicePrincipal: string, path: string, action: string, resource: string): Delivery => ({
    path,
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleId}/${servicePrincipal.split('.')[0] ?? 'service'}-session`,
    identityPolicies: stack.identityPolicies(roleId),
    action,
    resource,
    context: { 'aws:SecureTransport': 'true', 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/${roleId}` },
    by: `${roleId} (${servicePrincipal.split('.')[0] ?? ''})`,
  });

  for (const [id, rule] of stack.ofType('AWS::Events::Rule')) {
    for (const target of rule.Properties.Targets as { Arn: string; RoleArn?: string }[]) {
      if (target.Arn.includes(':lambda:')) {
        deliveries.push(service('events.amazonaws.com', stack.arn(id), `EventBridge ${id} -> Lambda ${name(target.Arn)}`, 'lambda:InvokeFunction', target.Arn));
      } else if (target.Arn.includes(':states:') && target.RoleArn) {
        // EventBridge starts an execution as the target's role (no resource policy on a state machine).
        const path = `EventBridge ${id} -> Step Functions ${name(target.Arn)}`;
        const roleId = roleIdOf(target.RoleArn);
        deliveries.push(assumes('events.amazonaws.com', stack.arn(id), path, roleId), asServiceRole(roleId, 'events.amazonaws.com', path, 'states:StartExecution', target.Arn));
      } else {
        throw new Error(`${id}: no delivery model for target ${target.Arn}`);
      }
    }
  }

  // Step Functions runs each Task of a state machine as the machine's role: it assumes the role,
  // then invokes the Task's Resource (a Lambda ARN, qualifier included).
  for (const [id, machine] of stack.ofType('AWS::StepFunctions::StateMachine')) {
    const machineArn = stack.arn(id);
    const roleId = roleIdOf(String(machine.Properties.RoleArn));
    const path = `Step Functions ${id}`;
    deliveries.push(assumes('states.amazonaws.com', machineArn, path, roleId));
    for (const resource of taskResourcesOf(JSON.parse(String(machine.Properties.DefinitionString)))) {
      if (!resource.includes(':lambda:')) throw new Error(`${id}: no delivery model for a Task of ${resource}`);
      deliveries.push(asServiceRole(roleId, 'states.amazonaws.com', `${path} -> Lambda ${name(resource)}`, 'lambda:InvokeFunction', resource));
    }
  }

  // CodeDeploy shifting a live alias (its deployment group's service role): read and move the alias,
  // read the rollback alarms, run the pre-traffic hook the alias's UpdatePolicy names.
  for (const [aliasId, alias] of stack.ofType('AWS::Lambda::Alias')) {
    const update = alias.UpdatePolicy?.CodeDeployLambdaAliasUpdate as { ApplicationName?: string; DeploymentGroupName?: string; BeforeAllowTrafficHook?: string } | undefined;
    if (!update) continue;
    const group = stack.ofType('AWS::CodeDeploy::DeploymentGroup').find(([, g]) => g.Properties.DeploymentGroupName === update.DeploymentGroupName);
    if (!group) throw new Error(`${aliasId}: its UpdatePolicy names no deployment group of the stack`);
    const groupArn = `arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentgroup:${String(update.ApplicationName)}/${String(update.DeploymentGroupName)}`;
    const roleId = roleIdOf(String(group[1].Properties.ServiceRoleArn));
    const path = `CodeDeploy ${group[0]}`;
    const aliasArn = stack.arn(aliasId);
    deliveries.push(
      assumes('codedeploy.amazonaws.com', groupArn, path, roleId),
      // (Its grant of lambda:GetProvisionedConcurrencyConfig, which AWSCodeDeployRoleForLambdaLimited
      // has, is not evaluated: that action names both "function alias" and "function version", whose
      // ARNs have one form, and iam-simulate refuses such a request as multiple.resource.types.)
      ...['lambda:GetAlias', 'lambda:UpdateAlias'].map((action) => asServiceRole(roleId, 'codedeploy.amazonaws.com', `${path} -> Lambda ${aliasId}`, action, aliasArn)),
    );
    const alarms = ((group[1].Properties.AlarmConfiguration as { Alarms?: { Name: string }[] } | undefined)?.Alarms ?? []).map((alarm) => alarm.Name);
    for (const alarm of alarms) {
      deliveries.push(asServiceRole(roleId, 'codedeploy.amazonaws.com', `${path} -> CloudWatch alarm ${alarm}`, 'cloudwatch:DescribeAlarms', `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarm}`));
    }
    if (update.BeforeAllowTrafficHook) {
      const hook = functionIdOf(update.BeforeAllowTrafficHook);
      deliveries.push(asServiceRole(roleId, 'codedeploy.amazonaws.com', `${path} -> Lambda ${hook} (BeforeAllowTraffic)`, 'lambda:InvokeFunction', stack.functions[hook]?.arn ?? ''));
    }
  }

  for (const [, alarm] of stack.ofType('AWS::CloudWatch::Alarm')) {
    const alarmArn = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${String(alarm.Properties.AlarmName)}`;
    const topics = new Set([...((alarm.Properties.AlarmActions ?? []) as string[]), ...((alarm.Properties.OKActions ?? []) as string[]), ...((alarm.Properties.InsufficientDataActions ?? []) as string[])]);
    for (const topic of topics) {
      deliveries.push(...withKey(service('cloudwatch.amazonaws.com', alarmArn, `CloudWatch alarm ${name(alarmArn)} -> SNS ${name(topic)}`, 'sns:Publish', topic), topicKey(topic)));
    }
  }

  // What Lambda does with the function's role.
  const asRole = (functionArnOrName: string, path: string, action: string, resource: string): Delivery => {
    const functionId = functionIdOf(functionArnOrName);
    const fn = stack.functions[functionId] as Stack['functions'][string];
    return {
      path,
      principal: stack.sessionOf(functionId),
      identityPolicies: stack.identityPolicies(fn.roleId),
      action,
      resource,
      context: { 'aws:SecureTransport': 'true', 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/${fn.roleId}` },
      by: `${fn.roleId} (Lambda)`,
    };
  };
  // A role writing to or reading from a CMK-encrypted queue uses the key through SQS, as itself.
  const withRoleKey = (delivery: Delivery, key: string | undefined, actions: string[]): Delivery[] =>
    key
      ? actions.map((action) => ({
          ...delivery,
          path: `${delivery.path} (its KMS key)`,
          action,
          resource: key,
          context: { ...delivery.context, 'kms:ViaService': `sqs.${REGION}.amazonaws.com`, 'kms:CallerAccount': ACCOUNT },
        }))
      : [];
  for (const [, config] of stack.ofType('AWS::Lambda::EventInvokeConfig')) {
    const fn = String(config.Properties.FunctionName);
    const destinations = (config.Properties.DestinationConfig ?? {}) as Record<string, { Destination: string }>;
    for (const [kind, { Destination: destination }] of Object.entries(destinations)) {
      if (!destination.includes(':sqs:')) throw new Error(`${fn}: no delivery model for destination ${destination}`);
      const send = asRole(fn, `Lambda ${functionIdOf(fn)} ${kind} -> SQS ${name(destination)}`, 'sqs:SendMessage', destination);
      deliveries.push(send, ...withRoleKey(send, queueKey(destination), ['kms:GenerateDataKey', 'kms:Decrypt']));
    }
  }
  for (const [, mapping] of stack.ofType('AWS::Lambda::EventSourceMapping')) {
    const queue = String(mapping.Properties.EventSourceArn);
    const fn = String(mapping.Properties.FunctionName);
    // The SQS poller (Lambda developer guide, "Execution role permissions" for SQS).
    const poll = (action: string) => asRole(fn, `SQS ${name(queue)} -> Lambda ${functionIdOf(fn)} (poller)`, action, queue);
    deliveries.push(...['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map(poll), ...withRoleKey(poll('sqs:ReceiveMessage'), queueKey(queue), ['kms:Decrypt']));
  }
  for (const [id, fn] of Object.entries(stack.functions)) {
    // Lambda assumes the function's role for every invocation (its trust policy). Lambda documents no
    // aws:SourceArn / aws:SourceAccount for this request, so none is given (and none is required).
    const assume = service('lambda.amazonaws.com', fn.arn, `Lambda ${id} assumes ${fn.roleId}`, 'sts:AssumeRole', stack.arn(fn.roleId));
    deliveries.push({ ...assume, context: { 'aws:SecureTransport': 'true' } });
    const stream = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${fn.name}:log-stream:2026/12/03/[$LATEST]0123456789abcdef0123456789abcdef`;
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) deliveries.push(asRole(fn.arn, `Lambda ${id} -> CloudWatch Logs`, action, stream));
  }
  return deliveries;
}

/** The Resource of every Task state of an Amazon States Language definition, Map and Parallel branches included. */
export function taskResourcesOf(definition: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const state = value as Record<string, unknown>;
    if (state.Type === 'Task' && typeof state.Resource === 'string') found.add(state.Resource);
    Object.values(state).forEach(visit);
  };
  visit(definition);
  return [...found];
}
