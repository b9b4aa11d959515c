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
import { applyReleases, parseAbTestVersions, type Template as ReleasesTemplate } from './releases';

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

interface Serverless {
  service: {
    provider: { compiledCloudFormationTemplate: Template; versionFunctions?: boolean };
    custom?: { releases?: { codeDeploy?: unknown; abTestVersions?: unknown } };
    getAllFunctions(): string[];
  };
  getProvider(name: 'aws'): { naming: { getLambdaLogicalId(functionKey: string): string } };
}

export class TidyTemplatePlugin {
  readonly hooks: Record<string, () => void>;

  constructor(serverless: Serverless) {
    this.hooks = {
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
        removeRedundantDependsOn(serverless.service.provider.compiledCloudFormationTemplate);
      },
    };
  }
}
