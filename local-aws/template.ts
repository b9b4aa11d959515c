import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stage-env';

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
  'aws:package:finalize:stripNullPropsFromTemplateResources',
];

/**
 * Compiles the stage's template inside the running framework (a plugin's `serverless`), exactly as
 * `sls package` would, without a second process and without building the bundles. Returns a copy.
 */
export async function compileTemplate(serverless: {
  pluginManager: PluginManager;
  service: { provider: { compiledCloudFormationTemplate?: unknown } };
}): Promise<Template> {
  for (const event of COMPILE_EVENTS) {
    for (const { hook } of serverless.pluginManager.hooks[event] ?? []) await hook();
  }
  return structuredClone(serverless.service.provider.compiledCloudFormationTemplate) as Template;
}

/**
 * Packages the stage in a process of its own (`sls package`) and returns its template: for the
 * standalone local AWS (`npm run local-aws`), which runs without a framework process of its own.
 */
export function packageTemplate(stage: string): Template {
  const dir = join('.local-aws', `${stage}-${process.pid}`);
  const workFolder = join('.esbuild', `package-${stage}-${process.pid}`);
  try {
    const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'sls'), ['package', '--stage', stage, '--package', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ESBUILD_WORK_FOLDER: workFolder },
    });
    if (result.status !== 0) throw new Error(`sls package --stage ${stage} failed:\n${result.stdout}\n${result.stderr}`);
    return JSON.parse(readFileSync(join(ROOT, dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  } finally {
    rmSync(join(ROOT, dir), { recursive: true, force: true });
    rmSync(join(ROOT, workFolder), { recursive: true, force: true });
  }
}
