/**
 * A short text summary of a V8 CPU profile (`node --cpu-prof`): self time by function and by
 * package, the heaviest first. For the profile notes under bench/profiles/ (the .cpuprofile files
 * themselves are not committed):
 *   npx tsx bench/support/profile-summary.ts <file.cpuprofile> [--top 25] [--last <ms>]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function packageOf(url: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match?.[1]) return match[1];
  if (url.startsWith('node:')) return url;
  if (url === '') return '(native / V8)';
  const project = /\/(handlers|local-aws|bench|test|cli)\//.exec(url);
  return project ? `project ${project[1]}/` : url.split('/').slice(-2).join('/');
}

export function summarise(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, top = 25, lastMs = Infinity): string {
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Only the samples of the profile's last `lastMs` (e.g. the warm run before the process stopped).
  const end = deltas.reduce((a, b) => a + b, 0);
  let at = 0;
  samples.forEach((id, index) => {
    at += deltas[index] ?? 0;
    if (end - at <= lastMs * 1000) self.set(id, (self.get(id) ?? 0) + (deltas[index] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    if (!time) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${packageOf(url)}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
    byPackage.set(packageOf(url), (byPackage.get(packageOf(url)) ?? 0) + time);
  }
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => `${((100 * time) / total).toFixed(1).padStart(5)} %  ${(time / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  return [`total sampled ${(total / 1000).toFixed(0)} ms`, '', 'self time by package:', ...lines(byPackage), '', 'self time by function:', ...lines(byFunction)].join('\n');
}

if (require.main === module) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, last: { type: 'string' } } });
  const file = positionals[0];
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile>');
  process.stdout.write(`${summarise(JSON.parse(readFileSync(file, 'utf8')) as never, Number(values.top), values.last ? Number(values.last) : Infinity)}\n`);
}
