import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';

/** How a figure compares with its goal: at most / at least `value` (a ratio), or only reported. */
export type Goal =
  | { kind: 'max-ratio' | 'min-ratio'; value: number }
  /** At most `value` (in the row's unit) above the baseline. */
  | { kind: 'max-extra'; value: number }
  | { kind: 'equal' }
  | { kind: 'report' };

/** One line of the bench table: a figure and the baseline it was measured against in the same run. */
export interface Row {
  section: string;
  what: string;
  /** null: not measured in this run (`note` says why). */
  figure: number | null;
  unit: string;
  baseline?: { what: string; figure: number | null };
  goal: Goal;
  note?: string;
}

export interface ScoredRow extends Row {
  ratio: number | null;
  goalText: string;
  /** null: no goal (report only) or not measured. */
  met: boolean | null;
}

export function goalText(goal: Goal): string {
  if (goal.kind === 'max-ratio') return `≤ ${goal.value}×`;
  if (goal.kind === 'min-ratio') return `≥ ${goal.value}×`;
  if (goal.kind === 'max-extra') return `≤ baseline + ${goal.value}`;
  if (goal.kind === 'equal') return '= baseline';
  return 'report';
}

export function score(row: Row): ScoredRow {
  const base = row.baseline?.figure ?? null;
  const ratio = row.figure !== null && base !== null && base !== 0 ? row.figure / base : null;
  let met: boolean | null = null;
  if (ratio !== null) {
    if (row.goal.kind === 'max-ratio') met = ratio <= row.goal.value;
    else if (row.goal.kind === 'min-ratio') met = ratio >= row.goal.value;
    else if (row.goal.kind === 'equal') met = row.figure === base;
    else if (row.goal.kind === 'max-extra') met = (row.figure ?? 0) - (base ?? 0) <= row.goal.value;
  }
  return { ...row, ratio, goalText: goalText(row.goal), met };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function formatFigure(value: number | null, unit: string): string {
  if (value === null) return 'not measured';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** The one table `npm run bench` prints. */
export function formatTable(rows: readonly ScoredRow[]): string {
  const header = ['what', 'figure', 'baseline (same run)', 'ratio', 'goal', 'met?'];
  const lines = rows.map((row) => [
    `${row.section}: ${row.what}`,
    formatFigure(row.figure, row.unit),
    row.baseline ? `${row.baseline.what}: ${formatFigure(row.baseline.figure, row.unit)}` : '—',
    row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`,
    row.goalText,
    row.met === null ? (row.figure === null ? 'not measured' : '—') : row.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const render = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const notes = rows.filter((row) => row.note).map((row) => `- ${row.section}: ${row.what}: ${row.note}`);
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...lines.map(render), '', ...notes].join('\n');
}

/** What the figures were measured on. */
export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    node: process.version,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
  };
}

export function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A horizontal bar chart (plain SVG, no dependency) of named figures in one unit. */
export function barChartSvg(title: string, unit: string, bars: readonly { label: string; value: number | null; highlight?: boolean }[]): string {
  const width = 760;
  const labelWidth = 300;
  const barHeight = 26;
  const gap = 12;
  const top = 48;
  const height = top + bars.length * (barHeight + gap) + 30;
  const max = Math.max(1, ...bars.map((bar) => bar.value ?? 0));
  const scale = (width - labelWidth - 110) / max;
  const items = bars.map((bar, index) => {
    const y = top + index * (barHeight + gap);
    const length = Math.max(1, (bar.value ?? 0) * scale);
    const text = bar.value === null ? 'not measured' : `${Math.round(bar.value).toLocaleString('en-US')} ${unit}`;
    return [
      `<text x="${labelWidth - 10}" y="${y + barHeight * 0.68}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${length.toFixed(1)}" height="${barHeight}" fill="${bar.highlight ? '#1f77b4' : '#9aa5b1'}"/>`,
      `<text x="${(labelWidth + length + 8).toFixed(1)}" y="${y + barHeight * 0.68}">${escapeXml(text)}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...items,
    '</svg>',
    '',
  ].join('\n');
}
