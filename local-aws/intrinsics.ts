import { createHash } from 'node:crypto';

/**
 * Resolves the CloudFormation intrinsic functions our templates use (Ref, Fn::GetAtt, Fn::Sub,
 * Fn::Join, pseudo parameters, template parameters) to the values the local emulator gives those
 * resources, so local resources come from the same declarations that deploy; the IAM evaluation of
 * test/infra/iam resolves the packaged templates with it too (a made-up account and region).
 */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}
export type CfnResources = Record<string, CfnResource>;

export interface LocalAccount {
  region: string;
  accountId: string;
  /** Base URL of the local SQS endpoint, for queue URLs. */
  sqsEndpoint: string;
  /** Values of the template's parameters (`Ref` to a parameter gives its value). */
  parameters?: Record<string, string>;
}

export class UnresolvableIntrinsicError extends Error {
  override readonly name = 'UnresolvableIntrinsicError';
  constructor(
    message: string,
    readonly expression: unknown,
  ) {
    super(message);
  }
}

function pseudo(name: string, account: LocalAccount): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return account.region;
    case 'AWS::AccountId':
      return account.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return 'local';
    default:
      return undefined;
  }
}

/** A resource's name property: a literal, or an intrinsic of literals (e.g. a bucket name that carries `${AWS::AccountId}`). */
function nameOf(resource: CfnResource, key: string, resources: CfnResources, account: LocalAccount): string {
  const given = resource.Properties?.[key];
  const name = given !== null && typeof given === 'object' ? resolveIntrinsics(given, resources, account) : given;
  if (typeof name !== 'string') {
    throw new UnresolvableIntrinsicError(`Resource of type ${resource.Type} needs a literal ${key} to run locally`, resource);
  }
  return name;
}

/**
 * The id of a KMS key, which CloudFormation generates (a UUID): here one derived from the logical id,
 * the same on every run.
 */
export function keyIdOf(logicalId: string): string {
  const hex = createHash('sha256').update(logicalId).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A rule's name: the literal Name, or (as CloudFormation generates none here) the logical id. */
const ruleNameOf = (logicalId: string, resource: CfnResource) => (typeof resource.Properties?.Name === 'string' ? resource.Properties.Name : logicalId);

/** The function of an alias or version: its FunctionName must be a `Ref` to a function of the template. */
function functionOf(resource: CfnResource): string {
  const fn = (resource.Properties?.FunctionName as { Ref?: unknown } | undefined)?.Ref;
  if (typeof fn !== 'string') throw new UnresolvableIntrinsicError(`A ${resource.Type} needs FunctionName: Ref <function> to run locally`, resource);
  return fn;
}

/** `arn:...:function:<name>:<alias>` of an alias whose FunctionName is a `Ref` to a function of the template. */
function aliasArn(alias: CfnResource, resources: CfnResources, account: LocalAccount): string {
  return `${arnOf(functionOf(alias), resources, account)}:${nameOf(alias, 'Name', resources, account)}`;
}

/**
 * The number AWS gives a published version: every AWS::Lambda::Version of a template is the first
 * one its stack publishes of that function (a made-up account's first deploy), so 1.
 */
export const PUBLISHED_VERSION = '1';

/** `arn:...:function:<name>:<N>` of a version (its Ref on AWS: the qualified version ARN). */
function versionArn(version: CfnResource, resources: CfnResources, account: LocalAccount): string {
  return `${arnOf(functionOf(version), resources, account)}:${PUBLISHED_VERSION}`;
}

/** A name CloudFormation generates when the template gives none: here the logical id. */
const givenOr = (resource: CfnResource, key: string, logicalId: string, resources: CfnResources, account: LocalAccount): string =>
  resource.Properties?.[key] === undefined ? logicalId : nameOf(resource, key, resources, account);

const codeDeployApplicationOf = (group: CfnResource, resources: CfnResources, account: LocalAccount): string => {
  const application = resolveIntrinsics(group.Properties?.ApplicationName, resources, account);
  if (typeof application !== 'string') throw new UnresolvableIntrinsicError('A deployment group needs its ApplicationName', group);
  return application;
};

/** ARN of a resource as the local emulator names it. */
export function arnOf(logicalId: string, resources: CfnResources, account: LocalAccount): string {
  const resource = resources[logicalId];
  if (!resource) throw new UnresolvableIntrinsicError(`No resource ${logicalId}`, logicalId);
  const { region, accountId } = account;
  switch (resource.Type) {
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${region}:${accountId}:${nameOf(resource, 'QueueName', resources, account)}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${region}:${accountId}:${nameOf(resource, 'TopicName', resources, account)}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${nameOf(resource, 'BucketName', resources, account)}`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${region}:${accountId}:function:${nameOf(resource, 'FunctionName', resources, account)}`;
    case 'AWS::Lambda::Alias':
      return aliasArn(resource, resources, account);
    case 'AWS::Lambda::Version':
      return versionArn(resource, resources, account);
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${accountId}:role/${givenOr(resource, 'RoleName', logicalId, resources, account)}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${region}:${accountId}:stateMachine:${givenOr(resource, 'StateMachineName', logicalId, resources, account)}`;
    case 'AWS::CodeDeploy::Application':
      return `arn:aws:codedeploy:${region}:${accountId}:application:${givenOr(resource, 'ApplicationName', logicalId, resources, account)}`;
    case 'AWS::CodeDeploy::DeploymentGroup':
      return `arn:aws:codedeploy:${region}:${accountId}:deploymentgroup:${codeDeployApplicationOf(resource, resources, account)}/${givenOr(resource, 'DeploymentGroupName', logicalId, resources, account)}`;
    case 'AWS::CloudWatch::Alarm':
      return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${givenOr(resource, 'AlarmName', logicalId, resources, account)}`;
    case 'AWS::KMS::Key':
      return `arn:aws:kms:${region}:${accountId}:key/${keyIdOf(logicalId)}`;
    case 'AWS::Events::Rule':
      return `arn:aws:events:${region}:${accountId}:rule/${ruleNameOf(logicalId, resource)}`;
    default:
      throw new UnresolvableIntrinsicError(`No local ARN for ${resource.Type}`, logicalId);
  }
}

/** What `Ref` returns for a resource, as on AWS: queue URL, topic ARN, bucket or function name. */
export function refOf(logicalId: string, resources: CfnResources, account: LocalAccount): string {
  const pseudoValue = pseudo(logicalId, account);
  if (pseudoValue !== undefined) return pseudoValue;
  const parameter = account.parameters?.[logicalId];
  if (parameter !== undefined) return parameter;
  const resource = resources[logicalId];
  if (!resource) throw new UnresolvableIntrinsicError(`No resource ${logicalId}`, logicalId);
  switch (resource.Type) {
    case 'AWS::SQS::Queue':
      return `${account.sqsEndpoint}/${account.accountId}/${nameOf(resource, 'QueueName', resources, account)}`;
    case 'AWS::SNS::Topic':
      return arnOf(logicalId, resources, account);
    case 'AWS::S3::Bucket':
      return nameOf(resource, 'BucketName', resources, account);
    case 'AWS::Lambda::Function':
      return nameOf(resource, 'FunctionName', resources, account);
    case 'AWS::IAM::Role':
      return givenOr(resource, 'RoleName', logicalId, resources, account);
    case 'AWS::KMS::Key':
      return keyIdOf(logicalId);
    case 'AWS::Events::Rule':
      return ruleNameOf(logicalId, resource);
    // As on AWS, an alias's Ref is its ARN: the function's, qualified by the alias name.
    case 'AWS::Lambda::Alias':
      return aliasArn(resource, resources, account);
    // A version's Ref is its qualified ARN; a state machine's, its ARN.
    case 'AWS::Lambda::Version':
    case 'AWS::StepFunctions::StateMachine':
      return arnOf(logicalId, resources, account);
    case 'AWS::CodeDeploy::Application':
      return givenOr(resource, 'ApplicationName', logicalId, resources, account);
    case 'AWS::CodeDeploy::DeploymentGroup':
      return givenOr(resource, 'DeploymentGroupName', logicalId, resources, account);
    case 'AWS::CloudWatch::Alarm':
      return givenOr(resource, 'AlarmName', logicalId, resources, account);
    default:
      throw new UnresolvableIntrinsicError(`No local Ref for ${resource.Type}`, logicalId);
  }
}

function getAtt(logicalId: string, attribute: string, resources: CfnResources, account: LocalAccount): string {
  const resource = resources[logicalId];
  if (!resource) throw new UnresolvableIntrinsicError(`No resource ${logicalId}`, logicalId);
  if (attribute === 'Arn') return arnOf(logicalId, resources, account);
  if (attribute === 'QueueName' || attribute === 'TopicName') return nameOf(resource, attribute, resources, account);
  if (attribute === 'QueueUrl') return refOf(logicalId, resources, account);
  if (resource.Type === 'AWS::Lambda::Version' && attribute === 'Version') return PUBLISHED_VERSION;
  if (resource.Type === 'AWS::StepFunctions::StateMachine' && attribute === 'Name') return givenOr(resource, 'StateMachineName', logicalId, resources, account);
  throw new UnresolvableIntrinsicError(`No local attribute ${attribute} for ${resource.Type}`, { logicalId, attribute });
}

function substitute(template: string, variables: Record<string, unknown>, resources: CfnResources, account: LocalAccount): string {
  const substituted = template.replace(/\$\{([^}!][^}]*)\}/g, (_match, name: string) => {
    if (Object.hasOwn(variables, name)) return String(variables[name]);
    if (name.includes('.')) {
      const [logicalId = '', attribute = ''] = name.split('.');
      return getAtt(logicalId, attribute, resources, account);
    }
    return refOf(name, resources, account);
  });
  // `${!Literal}` is CloudFormation's escape for a literal `${Literal}`.
  return substituted.replace(/\$\{!/g, '${');
}

/** Resolves every intrinsic function inside `value`. */
export function resolveIntrinsics(value: unknown, resources: CfnResources, account: LocalAccount): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, resources, account));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, argument] = entries[0] as [string, unknown];
    const resolve = (item: unknown) => resolveIntrinsics(item, resources, account);
    switch (key) {
      case 'Ref':
        return refOf(String(argument), resources, account);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
        return getAtt(String(logicalId), String(attribute), resources, account);
      }
      case 'Fn::Join': {
        const [delimiter, items] = argument as [string, unknown[]];
        return (resolve(items) as unknown[]).join(delimiter);
      }
      case 'Fn::Sub': {
        if (typeof argument === 'string') return substitute(argument, {}, resources, account);
        const [template, variables] = argument as [string, Record<string, unknown>];
        return substitute(template, resolve(variables) as Record<string, unknown>, resources, account);
      }
      default:
        if (key.startsWith('Fn::')) throw new UnresolvableIntrinsicError(`${key} is not supported locally`, value);
    }
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveIntrinsics(item, resources, account)]));
}
