import { type CfnResources, type LocalAccount, keyIdOf, resolveIntrinsics } from '../../../local-aws/intrinsics';
import { packagedTemplate, type Template } from '../packaged-templates';

/**
 * A packaged template as it would be deployed in a made-up account and region: every intrinsic
 * (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, template parameters) resolved to concrete names and ARNs by
 * local-aws/intrinsics.ts, the resources of false conditions left out, and the policies the IAM
 * evaluation needs, found by the ARN they protect.
 */
export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'us-east-1';

export type Condition = Record<string, Record<string, unknown>>;
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Condition;
}
export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}
export interface NamedPolicy {
  name: string;
  policy: PolicyDocument;
}
interface Resolved {
  Type: string;
  Properties: Record<string, unknown>;
  /** An alias's CodeDeployLambdaAliasUpdate (application, deployment group, hook), resolved. */
  UpdatePolicy?: Record<string, unknown>;
}

/** The account's AWS managed key for SSM (aws/ssm), which CloudFormation does not declare. */
export const SSM_MANAGED_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyIdOf('aws/ssm')}`;

/**
 * Key policies of keys outside the stack, as AWS writes them:
 * - an AWS managed key (aws/ssm): any principal of the account, through that service only
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html); the account
 *   may read its metadata;
 * - the copies' key (copyKmsKeyArn, the user's own): the default key policy, which lets IAM
 *   policies of the account grant its use.
 */
function externalKeyPolicy(arn: string): PolicyDocument {
  if (arn === SSM_MANAGED_KEY) {
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Allow access through AWS Systems Manager for all principals in the account that are authorized to use AWS Systems Manager',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': `ssm.${REGION}.amazonaws.com` } },
        },
        { Sid: 'Allow direct access to key metadata to the account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'], Resource: '*' },
      ],
    };
  }
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([] as T[]).concat(value));

/** A condition of the template, evaluated with the parameters' values (Fn::Not, Fn::Equals, Fn::And, Fn::Or, Condition). */
function conditionHolds(expression: unknown, template: Template, resolve: (value: unknown) => unknown): boolean {
  const [[operator, argument] = ['', undefined]] = Object.entries(expression as Record<string, unknown>);
  const items = argument as unknown[];
  switch (operator) {
    case 'Fn::Not':
      return !conditionHolds(items[0], template, resolve);
    case 'Fn::And':
      return items.every((item) => conditionHolds(item, template, resolve));
    case 'Fn::Or':
      return items.some((item) => conditionHolds(item, template, resolve));
    case 'Fn::Equals':
      return JSON.stringify(resolve(items[0])) === JSON.stringify(resolve(items[1]));
    case 'Condition':
      return conditionHolds(template.Conditions?.[String(argument)], template, resolve);
    default:
      throw new Error(`condition operator ${operator} is not one this evaluation reads`);
  }
}

export interface Stack {
  label: string;
  account: string;
  region: string;
  resources: Record<string, Resolved>;
  /** The ARN of a resource of the stack. */
  arn(logicalId: string): string;
  /** The logical id of the bucket, queue, topic, key, function, alias, rule or state machine an ARN names (the bucket of an object ARN), if it is the stack's. */
  logicalIdOf(arn: string): string | undefined;
  ofType(type: string): [string, Resolved][];
  /** The functions: logical id -> role, handler module, environment. */
  functions: Record<string, { name: string; arn: string; roleId: string; handlerModule: string; environment: Record<string, string> }>;
  /** The session ARN a function's calls are made with (sts assumed-role). */
  sessionOf(functionId: string): string;
  /** Every identity policy of a role: its inline policies and the role policies attached to it. */
  identityPolicies(roleId: string): NamedPolicy[];
  /** The policy on the resource an ARN names (bucket, object, queue, topic, key, function), if any. */
  resourcePolicyOf(arn: string): PolicyDocument | undefined;
}

const cache = new Map<string, Stack>();

export function deployedStack(label: string): Stack {
  const cached = cache.get(label);
  if (cached) return cached;
  const template = packagedTemplate(label);
  const parameters = Object.fromEntries(Object.entries(template.Parameters ?? {}).map(([name, parameter]) => [name, String(parameter.Default ?? '')]));
  const account: LocalAccount = { region: REGION, accountId: ACCOUNT, sqsEndpoint: `https://sqs.${REGION}.amazonaws.com`, parameters };
  // Resources the template leaves unnamed get the kind of name CloudFormation generates.
  const named = Object.fromEntries(
    Object.entries(template.Resources).map(([id, resource]) => {
      const properties = { ...resource.Properties };
      if (resource.Type === 'AWS::S3::Bucket' && properties.BucketName === undefined) properties.BucketName = `stack-${id.toLowerCase()}-1a2b3c4d5e6f`;
      return [id, { ...resource, Properties: properties }];
    }),
  ) as CfnResources;
  const resolve = (value: unknown) => resolveIntrinsics(value, named, account);
  const resources: Record<string, Resolved> = {};
  for (const [id, resource] of Object.entries(named)) {
    if ('Condition' in resource && typeof resource.Condition === 'string' && !conditionHolds(template.Conditions?.[resource.Condition], template, resolve)) continue;
    const updatePolicy = (resource as { UpdatePolicy?: unknown }).UpdatePolicy;
    resources[id] = {
      Type: resource.Type,
      Properties: resolve(resource.Properties ?? {}) as Record<string, unknown>,
      ...(updatePolicy === undefined ? {} : { UpdatePolicy: resolve(updatePolicy) as Record<string, unknown> }),
    };
  }
  const arn = (logicalId: string) => resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }) as string;
  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
  const queueArnOfUrl = (url: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${url.split('/').pop() ?? ''}`;

  const functions = Object.fromEntries(
    ofType('AWS::Lambda::Function').map(([id, fn]) => {
      const roleArn = String(fn.Properties.Role);
      const roleId = Object.keys(resources).find((candidate) => resources[candidate]?.Type === 'AWS::IAM::Role' && arn(candidate) === roleArn);
      if (!roleId) throw new Error(`${id}: role ${roleArn} is not a role of the stack`);
      const handler = String(fn.Properties.Handler);
      return [
        id,
        {
          name: String(fn.Properties.FunctionName),
          arn: arn(id),
          roleId,
          handlerModule: `${handler.slice(0, handler.lastIndexOf('.'))}.ts`,
          environment: (fn.Properties.Environment as { Variables: Record<string, string> }).Variables,
        },
      ];
    }),
  );

  const identityPolicies = (roleId: string): NamedPolicy[] => {
    const role = resources[roleId];
    if (!role) throw new Error(`no role ${roleId}`);
    if (role.Properties.ManagedPolicyArns !== undefined) throw new Error(`${roleId}: managed policies are not evaluated here`);
    const inline = asList(role.Properties.Policies as { PolicyName: string; PolicyDocument: PolicyDocument }[]).map((p) => ({ name: p.PolicyName, policy: p.PolicyDocument }));
    const attached = [...ofType('AWS::IAM::RolePolicy'), ...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::ManagedPolicy')]
      .filter(([, p]) => p.Properties.RoleName === roleId || asList(p.Properties.Roles as string[]).includes(roleId))
      .map(([id, p]) => ({ name: String(p.Properties.PolicyName ?? id), policy: p.Properties.PolicyDocument as PolicyDocument }));
    return [...inline, ...attached];
  };

  const resourcePolicyOf = (target: string): PolicyDocument | undefined => {
    const [, , service = '', , , rest = ''] = target.split(':');
    const documents = (type: string, covers: (properties: Record<string, unknown>) => boolean) =>
      ofType(type)
        .filter(([, p]) => covers(p.Properties))
        .map(([, p]) => p.Properties.PolicyDocument as PolicyDocument);
    const one = (found: PolicyDocument[]) => {
      if (found.length > 1) throw new Error(`${target} has ${found.length} policies (the last one applied would replace the others)`);
      return found[0];
    };
    switch (service) {
      case 's3': {
        const bucket = rest.split('/')[0];
        return one(documents('AWS::S3::BucketPolicy', (p) => p.Bucket === bucket));
      }
      case 'sqs':
        return one(documents('AWS::SQS::QueuePolicy', (p) => asList(p.Queues as string[]).map(queueArnOfUrl).includes(target)));
      case 'sns':
        return one(documents('AWS::SNS::TopicPolicy', (p) => asList(p.Topics as string[]).includes(target)));
      case 'kms': {
        const key = ofType('AWS::KMS::Key').find(([id]) => arn(id) === target);
        return key ? (key[1].Properties.KeyPolicy as PolicyDocument) : externalKeyPolicy(target);
      }
      case 'iam': {
        // A role's trust policy is the resource policy of sts:AssumeRole on it.
        const role = ofType('AWS::IAM::Role').find(([id]) => arn(id) === target);
        return role ? (role[1].Properties.AssumeRolePolicyDocument as PolicyDocument) : undefined;
      }
      case 'lambda': {
        // Each AWS::Lambda::Permission is a statement of the function's policy, as AddPermission writes it.
        const statements = ofType('AWS::Lambda::Permission')
          .map(([id, permission]) => [id, permission.Properties] as const)
          .filter(([, p]) => p.FunctionName === target || p.FunctionName === target.split(':').pop())
          .map(([id, p]): Statement => {
            const condition: Condition = {};
            if (p.SourceArn !== undefined) condition.ArnLike = { 'AWS:SourceArn': p.SourceArn };
            if (p.SourceAccount !== undefined) condition.StringEquals = { 'AWS:SourceAccount': p.SourceAccount };
            const principal = String(p.Principal);
            return {
              Sid: id,
              Effect: 'Allow',
              Principal: principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
              Action: String(p.Action),
              Resource: target,
              ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
            };
          });
        return statements.length > 0 ? { Version: '2012-10-17', Statement: statements } : undefined;
      }
      default:
        return undefined;
    }
  };

  const arnTypes = ['AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::KMS::Key', 'AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::Events::Rule', 'AWS::StepFunctions::StateMachine'];
  const logicalIdOf = (target: string): string | undefined =>
    Object.entries(resources).find(([id, resource]) => {
      if (resource.Type === 'AWS::S3::Bucket') return target.split('/')[0] === `arn:aws:s3:::${String(resource.Properties.BucketName)}`;
      return arnTypes.includes(resource.Type) && arn(id) === target;
    })?.[0];

  const stack: Stack = {
    label,
    account: ACCOUNT,
    region: REGION,
    resources,
    arn,
    logicalIdOf,
    ofType,
    functions,
    sessionOf: (functionId) => {
      const fn = functions[functionId];
      if (!fn) throw new Error(`no function ${functionId}`);
      return `arn:aws:sts::${ACCOUNT}:assumed-role/${fn.roleId}/${fn.name}`;
    },
    identityPolicies,
    resourcePolicyOf,
  };
  cache.set(label, stack);
  return stack;
}
