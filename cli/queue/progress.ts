import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  advance(by: number): void;
  stop(): void;
}

/** A progress bar on stderr, or nothing when stderr is not a terminal (pipes, CI, tests). */
export function progressBar(total: number, label: string): Progress {
  if (!process.stderr.isTTY) return { advance: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {value}/{total} | {percentage}% | ETA {eta}s`, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { advance: (by) => bar.increment(by), stop: () => bar.stop() };
}
