import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../shared/stage-env';

/**
 * The packaged CloudFormation templates the infra tests read: every stage is packaged once per run
 * by the infra project's global setup (`sls package --stage X --package .local-aws/package-X`),
 * and each test file reads the saved templates.
 */
export type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  UpdatePolicy?: Record<string, unknown>;
  DependsOn?: string | string[];
};
export type Template = { Resources: Record<string, Resource>; Parameters?: Record<string, { Default?: unknown }>; Conditions?: Record<string, unknown> };

export const STAGES = ['local', 'test', 'dev', 'prod'] as const;
/** The customer managed key of `prod-copy-kms`'s copies (an account's own key, outside the stack). */
export const COPY_KMS_KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** Label -> stage and extra arguments of `sls package`. */
const PACKAGES: Record<string, { stage: string; args: string[] }> = {
  ...Object.fromEntries(STAGES.map((stage) => [stage, { stage, args: [] }])),
  'prod-with-email': { stage: 'prod', args: ['--param=alertEmail=ops@example.com'] },
  // Copies encrypted with a customer managed key, and a filtered trigger.
  'prod-copy-kms': {
    stage: 'prod',
    args: ['--param=copyEncryption=aws:kms', `--param=copyKmsKeyArn=${COPY_KMS_KEY}`, '--param=copySourcePrefix=incoming/', '--param=copySourceSuffix=.csv'],
  },
  // An A/B test: sqsConsumer's live alias routes 10 % to version 3 (docs/releases.md).
  'prod-ab-test': { stage: 'prod', args: ['--param=abTestVersions={"sqsConsumer":{"version":"3","weight":0.1}}'] },
};

const dirOf = (label: string) => join('.local-aws', `package-${label}`);
export const packageDir = (label: string) => join(ROOT, dirOf(label));
export const templatePath = (label: string) => join(packageDir(label), 'cloudformation-template-update-stack.json');

function packageOne(label: string): Promise<void> {
  const { stage, args } = PACKAGES[label] ?? { stage: label, args: [] };
  const workFolder = join('.esbuild', `package-${label}-${process.pid}`);
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'sls'), ['package', '--stage', stage, '--package', dirOf(label), ...args], {
    cwd: ROOT,
    env: { ...process.env, ESBUILD_WORK_FOLDER: workFolder },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once('close', (status) => {
      rmSync(join(ROOT, workFolder), { recursive: true, force: true });
      if (status === 0) resolve();
      else reject(new Error(`sls package --stage ${stage} (${label}) failed:\n${output}`));
    }),
  );
}

/**
 * Packages every stage, one after the other: `sls package` builds its artifacts in the service's
 * `.serverless` folder before moving them to `--package`, so two at once would collide.
 */
export async function packageAll(): Promise<void> {
  for (const label of Object.keys(PACKAGES)) await packageOne(label);
}

const cache = new Map<string, Template>();
export function packagedTemplate(label: string): Template {
  const cached = cache.get(label);
  if (cached) return cached;
  const template = JSON.parse(readFileSync(templatePath(label), 'utf8')) as Template;
  cache.set(label, template);
  return template;
}

export const ofType = (template: Template, type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
export const logicalIdOf = (value: unknown): string => {
  const getAtt = (value as { 'Fn::GetAtt'?: string[] } | undefined)?.['Fn::GetAtt'];
  return getAtt?.[0] ?? '';
};

/**
 * What a trigger's function reference invokes: `{ Ref: <alias> }` -> the alias's function and name,
 * `{ Fn::GetAtt: [<function>, Arn] }` or `{ Ref: <function> }` -> the function, unqualified ($LATEST),
 * `{ Fn::Join: [':', [<function>.Arn, <qualifier>]] }` -> the function at that qualifier.
 */
export function invokedFunction(template: Template, value: unknown): { fn: string; qualifier: string } {
  const ref = (value as { Ref?: unknown } | undefined)?.Ref;
  const target = typeof ref === 'string' ? template.Resources[ref] : undefined;
  if (target?.Type === 'AWS::Lambda::Alias') {
    return { fn: String((target.Properties.FunctionName as { Ref?: unknown }).Ref), qualifier: String(target.Properties.Name) };
  }
  if (target?.Type === 'AWS::Lambda::Function') return { fn: String(ref), qualifier: '$LATEST' };
  // `{ Fn::Join: [':', [{ Fn::GetAtt: [<function>, Arn] }, <qualifier>]] }` (a state machine's task ARN).
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (join?.[0] === ':' && join[1].length === 2 && typeof join[1][1] === 'string') return { fn: logicalIdOf(join[1][0]), qualifier: join[1][1] };
  return { fn: logicalIdOf(value), qualifier: '$LATEST' };
}
