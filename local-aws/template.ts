import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../shared/stage-env';

/** The CloudFormation template as the framework compiles it for `sls deploy`. */
export interface Template {
  Resources?: Record<string, never>;
}

interface PluginManager {
  hooks: Record<string, { hook: () => unknown }[] | undefined>;
}

/**
 * The framework's own package steps that turn serverless.yml into the CloudFormation template:
 * the core template and IAM, then functions and their events (queues' event source mappings, S3
 * notifications, SNS subscriptions), then the custom resources of `resources/`. Bundling and
 * zipping (`package:createDeploymentArtifacts`) are left out: `sls offline` bundles by itself.
 */
const COMPILE_EVENTS = [
  'package:initialize',
  'package:setupProviderConfiguration',
  'before:package:compileLayers',
  'package:compileLayers',
  'before:package:compileFunctions',
  'package:compileFunctions',
  'package:compileEvents',
  'aws:package:finalize:addExportNameForOutputs',
  'aws:package:finalize:mergeCustomProviderResources',
  // The `live` aliases and the triggers rewired to them (serverless-plugin-canary-deployments,
  // deploy/releases.ts).
  'after:aws:package:finalize:mergeCustomProviderResources',
  'aws:package:finalize:stripNullPropsFromTemplateResources',
];

/**
 * Compiles the stage's template inside the running framework (a plugin's `serverless`), exactly as
 * `sls package` would, without a second process and without building the bundles. Returns a copy.
 */
export async function compileTemplate(serverless: {
  pluginManager: PluginManager;
  service: { provider: { compiledCloudFormationTemplate?: unknown; versionFunctions?: boolean } };
}): Promise<Template> {
  // A version's id is a hash of the function's zip, which is not built here: the template names
  // no version, and the aliases name $LATEST (deploy/releases.ts), which is what sls offline runs
  // for every qualifier. The triggers still name the aliases, as deployed.
  serverless.service.provider.versionFunctions = false;
  for (const event of COMPILE_EVENTS) {
    for (const { hook } of serverless.pluginManager.hooks[event] ?? []) await hook();
  }
  return structuredClone(serverless.service.provider.compiledCloudFormationTemplate) as Template;
}

/**
 * The stage's template for the standalone local AWS (`npm run local-aws`), which runs without a
 * framework process of its own: `sls local-aws-template` (the project plugin's command) compiles it
 * as `sls offline start` does, in a process of its own, without bundling.
 */
export function compiledTemplate(stage: string): Template {
  const file = join(ROOT, '.local-aws', `template-${stage}-${process.pid}.json`);
  mkdirSync(dirname(file), { recursive: true });
  try {
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'local-aws-template', '--stage', stage, '--output', file], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`sls local-aws-template --stage ${stage} failed:\n${result.stdout}\n${result.stderr}`);
    return JSON.parse(readFileSync(file, 'utf8')) as Template;
  } finally {
    rmSync(file, { force: true });
  }
}
