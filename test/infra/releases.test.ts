import { STAGES, type Template, invokedFunction, ofType, packagedTemplate } from './packaged-templates';

/**
 * Releases (docs/releases.md): every function is published as a version and invoked through its
 * `live` alias by every trigger; on the deployed stages CodeDeploy moves the alias (AllAtOnce on
 * dev, Canary10Percent5Minutes on prod) and rolls it back when the new version's errors alarm
 * fires; the pre-traffic hook (prod) may report to those deployment groups and invoke those
 * versions, nothing else.
 */
// Every worker, in the order of serverless.yml's functions (the order of the templates' lists).
const RELEASED = ['S3CopierLambdaFunction', 'Ec2SchedulerLambdaFunction', 'VolumeRetirementLambdaFunction', 'SnsNotifierLambdaFunction', 'SqsConsumerLambdaFunction'];
const HOOK = 'PreTrafficHookLambdaFunction';
const functionIds = (template: Template) => ofType(template, 'AWS::Lambda::Function').map(([id]) => id);
const aliasOf = (template: Template, fn: string) => ofType(template, 'AWS::Lambda::Alias').find(([, alias]) => (alias.Properties.FunctionName as { Ref?: string }).Ref === fn);
const versionOf = (template: Template, fn: string) => ofType(template, 'AWS::Lambda::Version').find(([, version]) => (version.Properties.FunctionName as { Ref?: string }).Ref === fn)?.[0];
type Json = Record<string, unknown>;

/** Every place a trigger names the function it invokes, with what it names. */
function triggerReferences(template: Template): { where: string; value: unknown }[] {
  const references: { where: string; value: unknown }[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const p = resource.Properties;
    switch (resource.Type) {
      case 'AWS::Lambda::Permission':
      case 'AWS::Lambda::EventSourceMapping':
        references.push({ where: id, value: p.FunctionName });
        break;
      case 'AWS::SNS::Subscription':
        if (p.Protocol === 'lambda') references.push({ where: id, value: p.Endpoint });
        break;
      case 'AWS::S3::Bucket':
        for (const [index, config] of ((p.NotificationConfiguration as { LambdaConfigurations?: Json[] } | undefined)?.LambdaConfigurations ?? []).entries()) {
          references.push({ where: `${id}/LambdaConfigurations/${index}`, value: config.Function });
        }
        break;
      case 'AWS::Events::Rule':
        // A rule that starts the state machine invokes no function itself: the machine's tasks do (below).
        for (const target of (p.Targets as Json[] | undefined) ?? []) {
          const ref = (target.Arn as { Ref?: string } | undefined)?.Ref;
          if (template.Resources[String(ref)]?.Type !== 'AWS::StepFunctions::StateMachine') references.push({ where: `${id}/${String(target.Id)}`, value: target.Arn });
        }
        break;
      case 'AWS::StepFunctions::StateMachine': {
        // Each Task state's Resource, a variable of the definition's Fn::Sub.
        const [text, variables] = (p.DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] })['Fn::Sub'];
        const walk = (states: Record<string, Json>, path: string) => {
          for (const [name, state] of Object.entries(states)) {
            const variable = /^VAR:(.+)$/.exec(String(state.Resource))?.[1];
            if (state.Type === 'Task') references.push({ where: `${id}/${path}${name}`, value: variable ? variables[variable] : state.Resource });
            const inner = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, Json> } | undefined;
            if (inner) walk(inner.States, `${path}${name}/`);
            for (const branch of (state.Branches as { States: Record<string, Json> }[] | undefined) ?? []) walk(branch.States, `${path}${name}/`);
          }
        };
        walk((JSON.parse(text.replace(/\$\{([^}]+)\}/g, 'VAR:$1')) as { States: Record<string, Json> }).States, '');
        break;
      }
      default:
        break;
    }
  }
  return references;
}

describe.each(STAGES)('releases (%s)', (stage) => {
  const template = () => packagedTemplate(stage);

  it('publishes a version of every function and points a live alias of each worker at it', () => {
    const t = template();

    const aliases = RELEASED.map((fn) => {
      const [, alias] = aliasOf(t, fn) ?? [];
      return [fn, alias?.Properties.Name, alias?.Properties.FunctionVersion];
    });

    expect(functionIds(t).sort()).toEqual([...RELEASED, HOOK].sort());
    expect(aliases).toEqual(RELEASED.map((fn) => [fn, 'live', { 'Fn::GetAtt': [versionOf(t, fn), 'Version'] }]));
    // CodeDeploy runs the hook by name; it has no alias.
    expect(aliasOf(t, HOOK)).toBeUndefined();
  });

  it('invokes every function through its live alias from every trigger: S3 notification, SNS subscriptions, SQS mappings, schedules, and their permissions', () => {
    const t = template();
    const references = triggerReferences(t);

    const invoked = references.map(({ where, value }) => [where, invokedFunction(t, value).qualifier]);

    // The scheduler's schedule, two queues, the S3 notification, two SNS subscriptions, a permission
    // for each but the queues, and the eight Task states of the retire-volumes state machine.
    expect(references.length).toBe(18);
    expect(invoked.filter(([, qualifier]) => qualifier !== 'live')).toEqual([]);
    // ...and never by an unqualified function ARN or name anywhere in a trigger: an alias, or the function's ARN joined with :live.
    const qualified = (value: unknown) => JSON.stringify(value).includes('Aliaslive') || JSON.stringify(value).endsWith(',"live"]]}');
    expect(references.filter(({ value }) => JSON.stringify(value).includes('LambdaFunction"') && !qualified(value))).toEqual([]);
    expect(references.filter(({ where }) => where.startsWith('RetireVolumesStateMachine/')).map(({ value }) => invokedFunction(t, value))).toEqual(
      Array.from({ length: 8 }, () => ({ fn: 'VolumeRetirementLambdaFunction', qualifier: 'live' })),
    );
  });

  it('sends the failed asynchronous invocations of the live alias to the on-failure destination', () => {
    const configs = ofType(template(), 'AWS::Lambda::EventInvokeConfig').map(([, config]) => [(config.Properties.FunctionName as { Ref: string }).Ref, config.Properties.Qualifier]);

    expect(configs.sort()).toEqual([
      ['Ec2SchedulerLambdaFunction', 'live'],
      ['S3CopierLambdaFunction', 'live'],
      ['SnsNotifierLambdaFunction', 'live'],
    ]);
  });

  it("alarms on each worker's new version, invoked through the alias", () => {
    const t = template();

    const dimensions = RELEASED.map((fn) => {
      const [, alarm] = ofType(t, 'AWS::CloudWatch::Alarm').find(([id]) => id === fn.replace('LambdaFunction', 'NewVersionErrorsAlarm')) ?? [];
      return alarm?.Properties.Dimensions;
    });

    expect(dimensions).toEqual(
      RELEASED.map((fn) => [
        { Name: 'FunctionName', Value: { Ref: fn } },
        { Name: 'Resource', Value: { 'Fn::Sub': `\${${fn}}:live` } },
        { Name: 'ExecutedVersion', Value: { 'Fn::GetAtt': [versionOf(t, fn), 'Version'] } },
      ]),
    );
  });
});

describe.each([
  ['dev', 'AllAtOnce', false],
  ['prod', 'Canary10Percent5Minutes', true],
])('CodeDeploy releases on %s', (stage, deploymentType, withHook) => {
  const template = () => packagedTemplate(stage);

  it(`shifts each alias ${deploymentType} through its deployment group, rolled back when its new version's errors alarm fires`, () => {
    const t = template();

    const groups = RELEASED.map((fn) => {
      const [, alias] = aliasOf(t, fn) ?? [];
      const update = alias?.UpdatePolicy?.CodeDeployLambdaAliasUpdate as Json | undefined;
      const group = t.Resources[String((update?.DeploymentGroupName as { Ref?: string } | undefined)?.Ref)];
      return {
        fn,
        config: group?.Properties.DeploymentConfigName,
        rollback: group?.Properties.AutoRollbackConfiguration,
        alarms: group?.Properties.AlarmConfiguration,
        role: group?.Properties.ServiceRoleArn,
        hook: update?.BeforeAllowTrafficHook,
        waitsForAlarm: alias?.DependsOn,
      };
    });

    expect(groups).toEqual(
      RELEASED.map((fn) => ({
        fn,
        config: { 'Fn::Sub': ['CodeDeployDefault.Lambda${ConfigName}', { ConfigName: deploymentType }] },
        rollback: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'] },
        alarms: { Enabled: true, Alarms: [{ Name: { Ref: fn.replace('LambdaFunction', 'NewVersionErrorsAlarm') } }] },
        role: { 'Fn::GetAtt': ['CodeDeployServiceRole', 'Arn'] },
        hook: withHook ? { Ref: HOOK } : undefined,
        waitsForAlarm: [fn.replace('LambdaFunction', 'NewVersionErrorsAlarm')],
      })),
    );
    expect(ofType(t, 'AWS::CodeDeploy::DeploymentGroup')).toHaveLength(RELEASED.length);
  });

  it("gives CodeDeploy's role only the five live aliases, the stage's alarms and the hook", () => {
    const role = template().Resources.CodeDeployServiceRole;

    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect((role?.Properties.AssumeRolePolicyDocument as { Statement: Json[] }).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect((role?.Properties.Policies as { PolicyDocument: { Statement: Json[] } }[]).flatMap((policy) => policy.PolicyDocument.Statement)).toEqual([
      {
        Effect: 'Allow',
        Action: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
        Resource: RELEASED.map((fn) => ({ 'Fn::Sub': `\${${fn}.Arn}:live` })),
      },
      {
        Effect: 'Allow',
        Action: 'cloudwatch:DescribeAlarms',
        Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:messaging-workers-${stage}-*` },
      },
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [HOOK, 'Arn'] } },
    ]);
  });

});

const hookOf = (t: Template) => ({
  policies: t.Resources.PreTrafficHookRole?.Properties.Policies as { PolicyName: string; PolicyDocument: { Statement: Json[] } }[],
  targets: (t.Resources[HOOK]?.Properties.Environment as { Variables: Json }).Variables.HOOK_TARGETS,
});

describe('the pre-traffic hook', () => {
  it('has no target and no right beyond its log where it is off (dev)', () => {
    const { policies, targets } = hookOf(packagedTemplate('dev'));

    expect(policies.map((policy) => policy.PolicyName)).toEqual(['logs']);
    expect(targets).toBe('{}');
  });

  it('may report to the deployment groups of prod and invoke the versions this deploy publishes, nothing else', () => {
    const t = packagedTemplate('prod');
    const { policies, targets } = hookOf(t);
    const application = ofType(t, 'AWS::CodeDeploy::Application')[0]?.[0];
    const groupName = (fn: string) => `messaging-workers-prod-${fn}DeploymentGroup`;

    expect(policies.map((policy) => policy.PolicyName)).toEqual(['logs', 'run-pre-traffic-checks']);
    expect(policies[1]?.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'codedeploy:GetDeployment',
        Resource: RELEASED.map((fn) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:codedeploy:\${AWS::Region}:\${AWS::AccountId}:deploymentgroup:\${${application}}/${groupName(fn)}` })),
      },
      // The Service Authorization Reference gives this action no resource type: only `*` matches it
      // (test/infra/iam evaluates the hook's verdict, which a grant on the groups denied).
      { Effect: 'Allow', Action: 'codedeploy:PutLifecycleEventHookExecutionStatus', Resource: '*' },
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: RELEASED.map((fn) => ({ Ref: versionOf(t, fn) })) },
    ]);
    const [json, variables] = (targets as { 'Fn::Sub': [string, Record<string, unknown>] })['Fn::Sub'];
    const keys = ['s3Copier', 'ec2Scheduler', 'volumeRetirement', 'snsNotifier', 'sqsConsumer'];
    expect(JSON.parse(json)).toEqual(Object.fromEntries(RELEASED.map((fn, index) => [groupName(fn), { function: keys[index], version: `\${Version${index}}` }])));
    expect(variables).toEqual(Object.fromEntries(RELEASED.map((fn, index) => [`Version${index}`, { Ref: versionOf(t, fn) }])));
  });
});

describe.each(['local', 'test'])('releases without CodeDeploy (%s)', (stage) => {
  it('moves the aliases directly: no UpdatePolicy, no CodeDeploy application, group or role', () => {
    const t = packagedTemplate(stage);

    expect(Object.values(t.Resources).filter((resource) => resource.Type.startsWith('AWS::CodeDeploy::'))).toEqual([]);
    expect(t.Resources.CodeDeployServiceRole).toBeUndefined();
    expect(ofType(t, 'AWS::Lambda::Alias').filter(([, alias]) => alias.UpdatePolicy !== undefined)).toEqual([]);
  });
});

describe('an A/B test (prod, abTestVersions)', () => {
  it("routes the given weight of the alias's invocations to the given version, and moves that alias without CodeDeploy", () => {
    const t = packagedTemplate('prod-ab-test');
    const [, consumer] = aliasOf(t, 'SqsConsumerLambdaFunction') ?? [];
    const [, copier] = aliasOf(t, 'S3CopierLambdaFunction') ?? [];

    expect(consumer?.Properties.RoutingConfig).toEqual({ AdditionalVersionWeights: [{ FunctionVersion: '3', FunctionWeight: 0.1 }] });
    expect(consumer?.UpdatePolicy).toBeUndefined();
    expect(copier?.Properties.RoutingConfig).toBeUndefined();
    expect(copier?.UpdatePolicy).toBeDefined();
  });
});
