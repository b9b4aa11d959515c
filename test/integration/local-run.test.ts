import { spawn } from 'node:child_process';
import { openSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../../shared/stage-env';
import { eventually } from '../support/local-aws';
import { isolatedPorts } from '../support/stack-process';

/** `sls offline start` as a user runs it in a terminal, on ports of its own, then Ctrl-C. */
const ports = isolatedPorts(4760);
const logFile = join(ROOT, '.local-aws', 'local-run.log');

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

const workFolder = join('.esbuild', `local-run-${process.pid}`);
afterAll(() => rmSync(join(ROOT, workFolder), { recursive: true, force: true }));

describe('sls offline start in a terminal', () => {
  it('serves the local AWS and the Lambda API, and Ctrl-C stops every process it started and frees every port', async () => {
    const out = openSync(logFile, 'w');
    // A process group of its own, as a terminal's foreground job: Ctrl-C signals the whole group.
    const sls = spawn(process.execPath, [join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'offline', 'start', '--stage', 'test'], {
      cwd: ROOT,
      env: { ...process.env, ...ports.env, ESBUILD_WORK_FOLDER: workFolder },
      stdio: ['ignore', out, out],
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => sls.once('exit', (code) => resolve(code)));
    const pgid = sls.pid ?? 0;
    try {
      await eventually(() => readFileSync(logFile, 'utf8').includes('LOCAL_AWS_READY'), 150_000, 250);
      const aws = Number(new URL(ports.endpoint).port);
      const ec2 = aws + 1;
      const lambda = Number(new URL(ports.lambdaEndpoint).port);
      const localConsole = Number(ports.env.LOCAL_CONSOLE_PORT);
      expect(readFileSync(logFile, 'utf8')).toContain(`Console (browser)     http://127.0.0.1:${localConsole}/`);
      expect(await Promise.all([accepts(aws), accepts(ec2), accepts(lambda), accepts(localConsole)])).toEqual([true, true, true, true]);

      process.kill(-pgid, 'SIGINT');

      expect(await exited).toBe(0);
      await eventually(() => !groupAlive(pgid), 30_000, 250);
      expect(await Promise.all([accepts(aws), accepts(ec2), accepts(lambda), accepts(localConsole)])).toEqual([false, false, false, false]);
    } finally {
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    }
  }, 240_000);
});
