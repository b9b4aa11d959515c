import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../shared/stage-env';

/**
 * `sls package` with a parameter that makes a name AWS refuses fails before anything is built, with
 * one line that names the parameter (deploy/validate-parameters.ts, put in front of the framework's
 * own schema check by deploy/tidy-template.ts).
 */
function slsPackage(args: string[]): { status: number | null; errorLine: string | undefined; output: string } {
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'sls'), ['package', '--package', join('.local-aws', `package-invalid-${process.pid}`), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ESBUILD_WORK_FOLDER: join('.esbuild', `package-invalid-${process.pid}`) },
  });
  const output = `${result.stdout}${result.stderr}`;
  const lines = output.split('\n');
  // The framework prints `Error:` and then the message.
  const errorLine = lines[lines.findIndex((line) => line.trim() === 'Error:') + 1];
  return { status: result.status, errorLine, output };
}

describe('package-time parameter validation (sls package)', () => {
  it.each([
    [['--stage', 'Dev'], /^Invalid parameter stage: "Dev" must start with a lower-case letter/],
    [['--stage', 'dev', '--param=bucketOwner=Acme'], /^Invalid parameter bucketOwner: "Acme" must hold only a-z, 0-9 and "-"/],
    [['--stage', 'staging-eu', '--region', 'ap-southeast-2'], /^Invalid parameter stage: the destination bucket name messaging-workers-staging-eu-destination-<account id>-ap-southeast-2 would be 68 characters, S3 allows at most 63$/],
    [['--stage', 'prod', '--param=bucketOwner=an-organisation-with-a-long-name'], /^Invalid parameter bucketOwner: the source bucket name .* would be 72 characters, S3 allows at most 63$/],
    [['--stage', 'abcdefghijklmnopqrstu', '--param=bucketOwner=x'], /^Invalid parameter stage: the role S3CopierRole would be named messaging-workers-abcdefghijklmnopqrstu-S3CopierRole-<random>, 66 characters/],
  ])('sls package %j fails with one line naming the parameter', (args, message) => {
    const { status, errorLine, output } = slsPackage(args);

    expect({ status, errorLine }).toEqual({ status: 1, errorLine: expect.stringMatching(message) });
    // One line: what follows the message is the framework's own footer, not more of it.
    expect(output.split('\n').filter((line) => line.startsWith('Invalid parameter'))).toHaveLength(1);
  });
});
