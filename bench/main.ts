/**
 * `npm run bench`: every measurement side by side with its baseline, in one run on this machine.
 *   npm run bench -- [--jobs 5000] [--runs 7] [--startup-runs 3] [--port-base 4600] [--only e2e,cold-start,...]
 * Prints one table (what, figure, baseline in the same run, ratio, goal, met?), writes it as JSON to
 * bench/results/latest.json and the end-to-end figures as a chart to bench/results/end-to-end.svg.
 * Sections: cold-start (cold start, source maps, package size), consumer, e2e, startup, endpoint,
 * s3-copier, ec2-scheduler, volume-retirement. A section whose bench module is not in this checkout, or that failed,
 * is in the table as "not measured" with the reason; never a figure from elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../shared/stage-env';
import { coldStartRows } from './cold-start';
import { consumerOverheadRows } from './consumer-overhead';
import { type EndToEndFigures, endToEnd } from './end-to-end';
import { startupSeconds } from './startup';
import { barChartSvg, formatTable, machine, median, type Row, score, writeJson } from './support/report';

const SECTIONS = ['cold-start', 'consumer', 'e2e', 'startup', 'endpoint', 's3-copier', 'ec2-scheduler', 'volume-retirement'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '7' },
    'startup-runs': { type: 'string', default: '3' },
    'port-base': { type: 'string', default: '4600' },
    stage: { type: 'string', default: 'local' },
    only: { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results') },
  },
});
const jobs = Number(values.jobs);
const stage = values.stage ?? 'local';
const portBase = Number(values['port-base']);
const only = new Set((values.only ?? SECTIONS.join(',')).split(',') as Section[]);
const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Runs a bench module of the project in a child process; its stdout, or why there is none. */
function runModule(file: string, args: string[], timeoutMs: number): { output: string } | { missing: string } {
  if (!existsSync(join(ROOT, file))) return { missing: `${file} is not in this checkout` };
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, file), ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 2 ** 20 });
  if (result.status !== 0) return { missing: `${file} failed (${result.status ?? result.signal}): ${`${result.stderr}`.trim().split('\n').slice(-3).join(' ').slice(0, 300)}` };
  return { output: result.stdout };
}

const notMeasured = (section: string, what: string, unit: string, goal: Row['goal'], note: string, baselineWhat?: string): Row => ({
  section,
  what,
  figure: null,
  unit,
  goal,
  note,
  ...(baselineWhat ? { baseline: { what: baselineWhat, figure: null } } : {}),
});

const number = (text: string, pattern: RegExp): number | null => {
  const match = pattern.exec(text);
  return match?.[1] ? Number(match[1].replace(/,/g, '')) : null;
};

async function section(name: Section, measure: () => Promise<Row[]>, fallback: (reason: string) => Row[]): Promise<Row[]> {
  if (!only.has(name)) return [];
  log(`${name}: start`);
  try {
    const rows = await measure();
    log(`${name}: done`);
    return rows;
  } catch (error) {
    const reason = (error as Error).message.split('\n').slice(0, 3).join(' ').slice(0, 300);
    const missing = reason.includes('is not in this checkout');
    log(`${name}: ${missing ? 'not measured' : 'failed'}: ${reason}`);
    return fallback(missing ? reason : `failed in this run: ${reason}`);
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const rows: Row[] = [];
  let e2e: EndToEndFigures | null = null;

  rows.push(
    ...(await section(
      'cold-start',
      () => coldStartRows({ runs: Number(values.runs), log }),
      (reason) => [notMeasured('cold start', 'every function', 'ms', { kind: 'max-ratio', value: 1.15 }, reason)],
    )),
  );

  rows.push(
    ...(await section(
      'consumer',
      async () => {
        const scratch = mkdtempSync(join(tmpdir(), 'consumer-overhead-'));
        try {
          const file = join(scratch, 'figures.json');
          // Its log lines go to /dev/null (stdout ignored), as Lambda hands them to a pipe.
          const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'consumer-overhead.ts'), '--json', file], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 600_000 });
          if (result.status !== 0) throw new Error(`consumer-overhead.ts failed: ${result.stderr.slice(-500)}`);
          return consumerOverheadRows(JSON.parse(readFileSync(file, 'utf8')) as { bare: number; powertools: number; ours: number });
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }
      },
      (reason) => consumerOverheadRows(null, reason),
    )),
  );

  rows.push(
    ...(await section(
      'e2e',
      async () => {
        const measured = await endToEnd({ jobs, stage, portBase, log });
        e2e = measured.figures;
        return measured.rows;
      },
      (reason) => [notMeasured('end to end', `sls offline, ${jobs} canary jobs, warm`, 'msg/s', { kind: 'min-ratio', value: 2 }, reason, 'serverless-offline-sqs 8.0.0')],
    )),
  );

  rows.push(
    ...(await section(
      'startup',
      async () => {
        const seconds = await startupSeconds({ runs: Number(values['startup-runs']), stage, portBase: portBase + 40 });
        return [
          {
            section: 'start-up',
            what: `sls offline start --stage ${stage} to ready (median of ${seconds.length})`,
            figure: median(seconds),
            unit: 's',
            goal: { kind: 'report' },
            note: `runs: ${seconds.map((s) => s.toFixed(1)).join(', ')} s`,
          },
        ];
      },
      (reason) => [notMeasured('start-up', `sls offline start --stage ${stage} to ready`, 's', { kind: 'report' }, reason)],
    )),
  );

  rows.push(
    ...(await section(
      'endpoint',
      async () => {
        const run = runModule('bench/sqs-endpoint.ts', ['--messages', '5000'], 600_000);
        if ('missing' in run) throw new Error(run.missing);
        return [
          {
            section: 'local AWS endpoint',
            what: 'SQS send + receive + delete, CPU per message (client and endpoint, bench/sqs-endpoint.ts)',
            figure: number(run.output, /CPU (\d+) µs\/msg/),
            unit: 'µs/msg',
            goal: { kind: 'report' },
            note: run.output.trim().split('\n').at(-1),
          },
        ];
      },
      (reason) => [notMeasured('local AWS endpoint', 'SQS CPU per message', 'µs/msg', { kind: 'report' }, reason)],
    )),
  );

  rows.push(
    ...(await section(
      's3-copier',
      async () => {
        const run = runModule('bench/s3-copier.ts', [], 1_200_000);
        if ('missing' in run) throw new Error(run.missing);
        return parseS3Copier(run.output);
      },
      (reason) => [
        notMeasured('S3 copier', '200 objects of 1 MiB', 'objects/s', { kind: 'min-ratio', value: 2.5 }, reason, 'naive GetObject+PutObject, same concurrency'),
        notMeasured('S3 copier', 'multipart copy of 100 MiB', 'MiB/s', { kind: 'min-ratio', value: 1.5 }, reason, 'the same parts one at a time'),
      ],
    )),
  );

  rows.push(
    ...(await section(
      'ec2-scheduler',
      async () => {
        const run = runModule('bench/ec2-scheduler.ts', [], 1_200_000);
        if ('missing' in run) throw new Error(run.missing);
        return parseEc2Scheduler(run.output);
      },
      (reason) => [
        notMeasured('EC2 scheduler', 'API calls for 1,000 instances', 'calls', { kind: 'equal' }, reason, 'minimum that pagination and batching allow'),
        notMeasured('EC2 scheduler', 'decision for 10,000 instances', 'ms', { kind: 'report' }, reason),
      ],
    )),
    ...(await section(
      'volume-retirement',
      async () => {
        const run = runModule('bench/volume-retirement.ts', ['--port-base', String(portBase + 100)], 1_200_000);
        if ('missing' in run) throw new Error(run.missing);
        return benchRows(run.output);
      },
      (reason) => [
        notMeasured('Volume retirement', 'one execution: a Task state (median)', 'ms', { kind: 'report' }, reason),
        notMeasured('Volume retirement', 'a run retiring 50 volumes (waits shortened)', 'ms', { kind: 'report' }, reason),
      ],
    )),
  );

  const scored = rows.map(score);
  const table = formatTable(scored);
  process.stdout.write(`\n${table}\n`);
  const result = {
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machine(),
    rows: scored,
    endToEnd: e2e,
  };
  writeJson(join(values.out ?? '', 'latest.json'), result);
  const figures = e2e as EndToEndFigures | null;
  // Always this run's chart (bars "not measured" when the section failed), never a stale one.
  if (only.has('e2e')) {
    writeFileSync(
      join(values.out ?? '', 'end-to-end.svg'),
      barChartSvg(`SQS job bus end to end, ${jobs} canary jobs, this machine, one run (warm: medians of interleaved rounds)`, 'msg/s', [
        { label: 'this project, warm', value: figures?.ours?.warm ?? null, highlight: true },
        { label: 'this project, cold (first run)', value: figures?.ours?.cold ?? null, highlight: true },
        { label: 'serverless-offline-sqs 8.0.0, warm', value: figures?.peer ?? null },
        { label: 'bare SDK v3 loops (ceiling)', value: figures?.ceiling ?? null },
      ]),
    );
  }
  log(`results: ${join(values.out ?? '', 'latest.json')}${only.has('e2e') ? ', chart: end-to-end.svg' : ''}`);
}

/** bench/s3-copier.ts (issue 8) prints its figures as `BENCH_ROW {json}` lines, or in prose. */
function parseS3Copier(output: string): Row[] {
  const rows = benchRows(output);
  if (rows.length > 0) return rows;
  const copier = number(output, /copier \(HeadObject \+ CopyObject\)\s+[\d.]+ s\s+(\d+) objects\/s/);
  const naive = number(output, /naive \(GetObject \+ PutObject\)\s+[\d.]+ s\s+(\d+) objects\/s/);
  const objects = number(output, /(\d+) objects of 1 MiB, (\d+) in flight/);
  const mib = number(output, /multipart copy of (\d+) MiB/);
  const parallel = number(output, /\d+ parts in flight\s+([\d.]+) s/);
  const sequential = number(output, /1 part at a time\s+([\d.]+) s/);
  if (copier === null || naive === null) throw new Error(`bench/s3-copier.ts printed no figures this bench understands: ${output.trim().slice(0, 300)}`);
  const perSecond = (seconds: number | null) => (seconds && mib ? mib / seconds : null);
  return [
    {
      section: 'S3 copier',
      what: `${objects ?? '?'} objects of 1 MiB (HeadObject + conditional CopyObject, bench/s3-copier.ts)`,
      figure: copier,
      unit: 'objects/s',
      baseline: { what: 'naive GetObject+PutObject, same concurrency', figure: naive },
      goal: { kind: 'min-ratio', value: 2.5 },
      note: output.split('\n').find((line) => line.includes('copier / naive'))?.trim(),
    },
    {
      section: 'S3 copier',
      what: `multipart copy of ${mib ?? '?'} MiB, parts in parallel`,
      figure: perSecond(parallel),
      unit: 'MiB/s',
      baseline: { what: 'the same parts one at a time', figure: perSecond(sequential) },
      goal: { kind: 'min-ratio', value: 1.5 },
    },
  ];
}

function parseEc2Scheduler(output: string): Row[] {
  const rows = benchRows(output);
  if (rows.length > 0) return rows;
  const decision = number(output, /median of \d+ runs ([\d.]+) ms/);
  const made = number(output, /EC2 calls made:\s+(\d+)/);
  const minimum = number(output, /minimum possible:\s+(\d+)/);
  const count = number(output, /reconcile of (\d+) instances/);
  const decided = number(output, /decide\(\) for (\d+) instances/);
  return [
    {
      section: 'EC2 scheduler',
      what: `API calls for a reconcile of ${count ?? '?'} instances`,
      figure: made,
      unit: 'calls',
      baseline: { what: 'minimum that pagination and batching allow', figure: minimum },
      goal: { kind: 'equal' },
      note: output.split('\n').find((line) => line.includes('EC2 calls made'))?.trim(),
    },
    { section: 'EC2 scheduler', what: `decision for ${decided ?? '?'} instances (median of 20)`, figure: decision, unit: 'ms', goal: { kind: 'report' } },
  ];
}

/** Rows a bench module prints as `BENCH_ROW {json}` (a Row), if it does. */
function benchRows(output: string): Row[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('BENCH_ROW '))
    .map((line) => JSON.parse(line.slice('BENCH_ROW '.length)) as Row);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
