/**
 * Serverless plugin: the last word on the CloudFormation template before it is saved for
 * `sls package` / `sls deploy`.
 *
 * The framework adds `DependsOn: <Role>` to each function whose role is ours, although the
 * function already names that role with `Fn::GetAtt`. CloudFormation accepts it; cfn-lint warns
 * (W3005) and CloudFormation validators that treat the warning as an error (moto's, used by the
 * deploy rehearsal) reject the whole stack. A `DependsOn` entry that the resource's properties
 * already reference is removed; every other one stays.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyReleases, parseAbTestVersions, type Template as ReleasesTemplate } from './releases';
import { ACCOUNT_ID_PLACEHOLDER, InvalidParameterError, namesOf, type ServerlessForValidation, validateNames } from './validate-parameters';

type Resource = { DependsOn?: string | string[]; Properties?: unknown };
type Template = { Resources?: Record<string, Resource> };

/** Logical ids a value references through `Ref`, `Fn::GetAtt` or `Fn::Sub`. */
export function referencedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedIds(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') into.add(inner);
      else if (key === 'Fn::GetAtt') into.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0] ?? '');
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        for (const match of String(text).matchAll(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)) into.add(match[1] ?? '');
        if (Array.isArray(inner)) referencedIds(inner[1], into);
      } else referencedIds(inner, into);
    }
  }
  return into;
}

/** Removes the `DependsOn` entries each resource's properties already imply; returns what it removed. */
export function removeRedundantDependsOn(template: Template): { resource: string; dependsOn: string }[] {
  const removed: { resource: string; dependsOn: string }[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.DependsOn === undefined) continue;
    const implied = referencedIds(resource.Properties);
    const dependsOn = ([] as string[]).concat(resource.DependsOn);
    const kept = dependsOn.filter((id) => !implied.has(id));
    for (const id of dependsOn) if (implied.has(id)) removed.push({ resource: logicalId, dependsOn: id });
    if (kept.length === 0) delete resource.DependsOn;
    else resource.DependsOn = kept;
  }
  return removed;
}

const PLACEHOLDER = new RegExp(`(^|-)${ACCOUNT_ID_PLACEHOLDER}(?=-|$)`, 'g');

/**
 * Replaces the account id placeholder, wherever a string of the template holds it, by
 * `${AWS::AccountId}`: inside a `Fn::Sub` template in place, elsewhere by making the string a
 * `Fn::Sub` (a plain string of the template is not substituted). Returns how many strings changed.
 */
export function substituteAccountId(template: Record<string, unknown>): number {
  let changed = 0;
  const replace = (text: string) => text.replace(PLACEHOLDER, (_match, dash: string) => `${dash}\${AWS::AccountId}`);
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const replaced = replace(value);
      if (replaced === value) return value;
      changed += 1;
      return { 'Fn::Sub': replaced };
    }
    if (Array.isArray(value)) return value.map(visit);
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      const sub = (value as { 'Fn::Sub'?: unknown })['Fn::Sub'];
      if (entries.length === 1 && sub !== undefined) {
        const [text, variables] = Array.isArray(sub) ? (sub as [unknown, unknown]) : [sub, undefined];
        const replaced = typeof text === 'string' ? replace(text) : text;
        if (replaced !== text) changed += 1;
        return { 'Fn::Sub': variables === undefined ? replaced : [replaced, visit(variables)] };
      }
      return Object.fromEntries(entries.map(([key, inner]) => [key, visit(inner)]));
    }
    return value;
  };
  for (const key of ['Resources', 'Outputs']) if (template[key] !== undefined) template[key] = visit(template[key]);
  return changed;
}

type Serverless = ServerlessForValidation & {
  serviceDir: string;
  service: {
    provider: { compiledCloudFormationTemplate: Template; coreCloudFormationTemplate?: Template; versionFunctions?: boolean };
    custom?: { releases?: { codeDeploy?: unknown; abTestVersions?: unknown } };
    getAllFunctions(): string[];
  };
  getProvider(name: 'aws'): { naming: { getLambdaLogicalId(functionKey: string): string } };
  classes: { Error: new (message: string) => Error };
};

/**
 * The create-stack template (the framework's first, bucket-only stack) names the deployment bucket
 * as the update template does (resources/buckets.yml), or the first update would replace it.
 */
function nameCoreDeploymentBucket(serverless: Serverless): void {
  const core = serverless.service.provider.coreCloudFormationTemplate;
  const bucket = core?.Resources?.ServerlessDeploymentBucket as (Resource & { Properties?: Record<string, unknown> }) | undefined;
  const name = serverless.service.custom.names.deploymentBucket;
  if (!core || !bucket || !name) return;
  bucket.Properties = { ...(bucket.Properties ?? {}), BucketName: name };
  substituteAccountId(core as Record<string, unknown>);
  const file = join(serverless.serviceDir, '.serverless', 'cloudformation-template-create-stack.json');
  if (existsSync(file)) writeFileSync(file, JSON.stringify(core, null, 2));
}

export class TidyTemplatePlugin {
  readonly hooks: Record<string, () => void>;

  constructor(serverless: Serverless) {
    // `sls package` / `sls deploy`: a parameter that makes a name AWS refuses fails in one line naming
    // it, before anything is built. It must run before the framework's own schema check of the
    // configuration (service.validate, after every variable is resolved and before any lifecycle
    // hook), whose message names a configuration path (`provider.s3.source.name`), not the parameter
    // that made it: so the check is put in front of service.validate.
    const command = serverless.processedInput?.commands?.[0];
    const service = serverless.service as unknown as { validate?: () => Promise<unknown> };
    const frameworkValidate = service.validate?.bind(service);
    if ((command === 'package' || command === 'deploy') && frameworkValidate) {
      service.validate = async () => {
        try {
          validateNames(namesOf(serverless));
        } catch (error) {
          if (error instanceof InvalidParameterError) throw new serverless.classes.Error(error.message);
          throw error;
        }
        return frameworkValidate();
      };
    }
    this.hooks = {
      'after:package:initialize': () => nameCoreDeploymentBucket(serverless),
      // After serverless-plugin-canary-deployments (listed before this plugin) wrote the aliases.
      'after:aws:package:finalize:mergeCustomProviderResources': () => {
        const { service } = serverless;
        const functionKeys = service.getAllFunctions();
        const { naming } = serverless.getProvider('aws');
        applyReleases(service.provider.compiledCloudFormationTemplate as ReleasesTemplate, {
          codeDeploy: service.custom?.releases?.codeDeploy !== false,
          abTestVersions: parseAbTestVersions(service.custom?.releases?.abTestVersions, functionKeys),
          functionLogicalIds: Object.fromEntries(functionKeys.map((key) => [key, naming.getLambdaLogicalId(key)])),
          versionsPublished: service.provider.versionFunctions !== false,
        });
      },
      'before:aws:package:finalize:saveServiceState': () => {
        const template = serverless.service.provider.compiledCloudFormationTemplate;
        removeRedundantDependsOn(template);
        substituteAccountId(template as Record<string, unknown>);
      },
    };
  }
}
