// A Lambda cold start in miniature, run in a fresh Node process by bench/cold-start.ts:
//   node cold-start-runner.mjs <bundle file> <event JSON file>
// Imports the bundle, hands its `handler` one event with a Lambda-like context, and prints the
// milliseconds from this script's first line to the import and to the answer, and the CPU time the
// process used in all (user + system, Node's own start included), on a line of its own.
const started = performance.now();
const { pathToFileURL } = await import('node:url');
const { readFileSync } = await import('node:fs');
const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = {
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
  memoryLimitInMB: '256',
  awsRequestId: 'bench-request',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
};
let outcome;
try {
  const module = await import(pathToFileURL(bundle).href);
  const loaded = performance.now();
  const answer = await module.handler(event, context);
  const totalMs = performance.now() - started;
  const cpu = process.cpuUsage();
  outcome = { ok: true, loadMs: loaded - started, totalMs, cpuMs: (cpu.user + cpu.system) / 1000, answer };
} catch (error) {
  outcome = { ok: false, error: String(error?.stack ?? error).slice(0, 2000) };
}
process.stdout.write(`\nCOLD_START_RESULT ${JSON.stringify(outcome)}\n`, () => process.exit(0));
