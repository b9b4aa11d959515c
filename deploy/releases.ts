/**
 * Releases through the functions' `live` aliases (docs/releases.md), the part of the template
 * serverless-plugin-canary-deployments does not write. That plugin (hook
 * `after:aws:package:finalize:mergeCustomProviderResources`) gives every function with
 * `deploymentSettings` an alias, a CodeDeploy deployment group and an UpdatePolicy that shifts the
 * alias through CodeDeploy, and rewires the framework's triggers (event source mappings, the S3
 * notification, schedule rules, SNS subscriptions, Lambda permissions) from the function to the
 * alias. What is left, done here on the compiled template:
 * - the on-failure destinations (AWS::Lambda::EventInvokeConfig) of the alias, not of $LATEST;
 * - `Fn::GetAtt [<Fn>LambdaVersion, Version]` (the rollback alarms' ExecutedVersion) names the
 *   version this deploy publishes, whose logical id carries a hash of the code;
 * - stages without CodeDeploy (param codeDeploy false): the alias moves directly (no UpdatePolicy,
 *   no CodeDeploy application, groups or role);
 * - an A/B test (param abTestVersions): the alias routes a weight to a second version; that alias
 *   then moves without CodeDeploy, which cannot shift an alias that already routes to two versions;
 * - the pre-traffic hook's targets (deployment group -> new version) and its exact rights.
 */
type Json = Record<string, unknown>;
export type Resource = { Type: string; Properties?: Json; DependsOn?: string | string[]; UpdatePolicy?: Json; Condition?: string };
export type Template = { Resources: Record<string, Resource> };

export interface ReleaseSettings {
  codeDeploy: boolean;
  /** Function key -> the second version and its weight (0 < weight < 1) on the alias. */
  abTestVersions: Record<string, { version: string; weight: number }>;
  /** Function key -> its logical id (`naming.getLambdaLogicalId`). */
  functionLogicalIds: Record<string, string>;
  /**
   * false for the local AWS's template (local-aws/template.ts), compiled without the zips a
   * version's id is hashed from: the aliases and alarms then name $LATEST, which is what
   * `sls offline` runs for every qualifier. Deploys publish versions (versionFunctions: true).
   */
  versionsPublished?: boolean;
}

export class ReleaseSettingsError extends Error {
  override readonly name = 'ReleaseSettingsError';
}

const AB_TEST = /^\d+$/;

/** The abTestVersions parameter: '' or JSON `{"<function>": {"version": "7", "weight": 0.1}}`. */
export function parseAbTestVersions(value: unknown, functionKeys: string[]): ReleaseSettings['abTestVersions'] {
  if (value === undefined || value === null || value === '') return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new ReleaseSettingsError(`abTestVersions is not JSON: ${value}`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ReleaseSettingsError('abTestVersions must map function names to { version, weight }');
  const tests: ReleaseSettings['abTestVersions'] = {};
  for (const [fn, test] of Object.entries(parsed as Json)) {
    if (!functionKeys.includes(fn)) throw new ReleaseSettingsError(`abTestVersions names ${fn}, which is not a function of this service`);
    const { version, weight } = (test ?? {}) as { version?: unknown; weight?: unknown };
    if (!AB_TEST.test(String(version))) throw new ReleaseSettingsError(`abTestVersions.${fn}.version must be a published version number, not ${String(version)}`);
    if (typeof weight !== 'number' || !(weight >= 0 && weight < 1)) throw new ReleaseSettingsError(`abTestVersions.${fn}.weight must be a number from 0 up to (not including) 1`);
    if (weight > 0) tests[fn] = { version: String(version), weight };
  }
  return tests;
}

const refTo = (value: unknown): string | undefined => (value as { Ref?: unknown } | undefined)?.Ref as string | undefined;
const ofType = (template: Template, type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** Function logical id -> the logical id of the version this deploy publishes. */
export function publishedVersions(template: Template): Record<string, string> {
  return Object.fromEntries(
    ofType(template, 'AWS::Lambda::Version')
      .map(([id, version]) => [refTo(version.Properties?.FunctionName), id] as const)
      .filter((entry): entry is [string, string] => entry[0] !== undefined),
  );
}

/** Function logical id -> [alias logical id, alias]. */
export function aliases(template: Template): Record<string, [string, Resource]> {
  return Object.fromEntries(
    ofType(template, 'AWS::Lambda::Alias')
      .map(([id, alias]) => [refTo(alias.Properties?.FunctionName), [id, alias]] as const)
      .filter((entry): entry is [string, [string, Resource]] => entry[0] !== undefined),
  );
}

/** Replaces `{Fn::GetAtt: [<Fn>LambdaVersion, Version]}` with the published version's logical id. */
function pointAtPublishedVersions(value: unknown, versions: Record<string, string> | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => pointAtPublishedVersions(item, versions));
  if (value === null || typeof value !== 'object') return value;
  const getAtt = (value as Json)['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Version' && typeof getAtt[0] === 'string' && getAtt[0].endsWith('LambdaVersion')) {
    if (versions === undefined) return '$LATEST';
    const fn = `${getAtt[0].slice(0, -'Version'.length)}Function`;
    const version = versions[fn];
    if (!version) throw new ReleaseSettingsError(`${getAtt[0]}.Version: ${fn} publishes no version (versionFunctions must be true)`);
    return { 'Fn::GetAtt': [version, 'Version'] };
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, pointAtPublishedVersions(item, versions)]));
}

const HOOK_FUNCTION = 'PreTrafficHookLambdaFunction';
const HOOK_ROLE = 'PreTrafficHookRole';

export function applyReleases(template: Template, settings: ReleaseSettings): void {
  const versions = publishedVersions(template);
  const published = settings.versionsPublished !== false;
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Version') template.Resources[id] = pointAtPublishedVersions(resource, published ? versions : undefined) as Resource;
  }
  const byFunction = aliases(template);
  if (!published) for (const [, [, alias]] of Object.entries(byFunction)) if (alias.Properties) alias.Properties.FunctionVersion = '$LATEST';

  // On-failure destinations of the alias's invocations (the framework writes Qualifier $LATEST).
  for (const [, config] of ofType(template, 'AWS::Lambda::EventInvokeConfig')) {
    const fn = refTo(config.Properties?.FunctionName);
    const alias = fn ? byFunction[fn] : undefined;
    if (!alias || !config.Properties) continue;
    config.Properties.Qualifier = alias[1].Properties?.Name;
    config.DependsOn = [...new Set([...[config.DependsOn ?? []].flat(), alias[0]])];
  }

  // A/B tests: a weight on a second version; such an alias moves without CodeDeploy.
  for (const [fnKey, test] of Object.entries(settings.abTestVersions)) {
    const fn = settings.functionLogicalIds[fnKey];
    const alias = fn ? byFunction[fn] : undefined;
    if (!alias?.[1].Properties) throw new ReleaseSettingsError(`abTestVersions: ${fnKey} has no alias`);
    alias[1].Properties.RoutingConfig = { AdditionalVersionWeights: [{ FunctionVersion: test.version, FunctionWeight: test.weight }] };
    delete alias[1].UpdatePolicy;
  }

  if (!settings.codeDeploy) {
    for (const [, [, alias]] of Object.entries(byFunction)) delete alias.UpdatePolicy;
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type.startsWith('AWS::CodeDeploy::') || id === 'CodeDeployServiceRole') delete template.Resources[id];
    }
  }

  for (const [fn, [, alias]] of Object.entries(byFunction)) {
    const update = alias.UpdatePolicy?.CodeDeployLambdaAliasUpdate as Json | undefined;
    if (!update) continue;
    // The rollback alarms watch the new version (ExecutedVersion) before CodeDeploy starts shifting.
    const group = template.Resources[refTo(update.DeploymentGroupName) ?? ''];
    const alarms = ((group?.Properties?.AlarmConfiguration as { Alarms?: { Name?: unknown }[] } | undefined)?.Alarms ?? []).map((alarm) => refTo(alarm.Name));
    // (The hook needs no DependsOn: the UpdatePolicy's Ref orders it already.)
    const after = alarms.filter((id): id is string => id !== undefined && template.Resources[id] !== undefined);
    if (after.length > 0) alias.DependsOn = [...new Set([...[alias.DependsOn ?? []].flat(), ...after])];
    if (published && !versions[fn]) throw new ReleaseSettingsError(`${fn} has an alias but publishes no version`);
  }

  const keyOf = Object.fromEntries(Object.entries(settings.functionLogicalIds).map(([key, id]) => [id, key]));
  wirePreTrafficHook(template, versions, byFunction, keyOf);
}

/**
 * The hook's HOOK_TARGETS (deployment group name -> the function it releases and the new version's
 * ARN) and its rights: read the deployments of those groups, report its verdict, invoke those
 * versions. Only the aliases whose UpdatePolicy runs the hook are targets; with none, the hook has
 * no rights beyond its log.
 */
function wirePreTrafficHook(template: Template, versions: Record<string, string>, byFunction: Record<string, [string, Resource]>, keyOf: Record<string, string>): void {
  const hook = template.Resources[HOOK_FUNCTION];
  const role = template.Resources[HOOK_ROLE];
  if (!hook?.Properties || !role?.Properties) return;
  const targets: { group: string; application: string; functionName: string; version: string }[] = [];
  for (const [fn, [, alias]] of Object.entries(byFunction)) {
    const update = alias.UpdatePolicy?.CodeDeployLambdaAliasUpdate as Json | undefined;
    if (refTo(update?.BeforeAllowTrafficHook) !== HOOK_FUNCTION) continue;
    const groupId = refTo(update?.DeploymentGroupName) ?? '';
    const group = String(template.Resources[groupId]?.Properties?.DeploymentGroupName ?? '');
    const version = versions[fn];
    if (!group || !version) throw new ReleaseSettingsError(`the pre-traffic hook of ${fn} has no deployment group or version`);
    targets.push({ group, application: refTo(update?.ApplicationName) ?? '', functionName: keyOf[fn] ?? fn, version });
  }
  const environment = ((hook.Properties.Environment ??= { Variables: {} }) as { Variables: Json }).Variables;
  if (targets.length === 0) {
    environment.HOOK_TARGETS = '{}';
    return;
  }
  const variables = Object.fromEntries(targets.map((target, index) => [`Version${index}`, { Ref: target.version }]));
  const json = JSON.stringify(Object.fromEntries(targets.map((target, index) => [target.group, { function: target.functionName, version: `\${Version${index}}` }])));
  environment.HOOK_TARGETS = { 'Fn::Sub': [json, variables] };
  const groupArns = targets.map((target) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:codedeploy:\${AWS::Region}:\${AWS::AccountId}:deploymentgroup:\${${target.application}}/${target.group}`,
  }));
  const policies = (role.Properties.Policies ??= []) as Json[];
  policies.push({
    PolicyName: 'run-pre-traffic-checks',
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'codedeploy:GetDeployment', Resource: groupArns },
        // The Service Authorization Reference gives PutLifecycleEventHookExecutionStatus no resource
        // type: IAM matches only Resource "*", so a grant on the deployment groups never applies and
        // every verdict would be refused (the release then fails on the hook's timeout).
        { Effect: 'Allow', Action: 'codedeploy:PutLifecycleEventHookExecutionStatus', Resource: '*' },
        { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: targets.map((target) => ({ Ref: target.version })) },
      ],
    },
  });
}
