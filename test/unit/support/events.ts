import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A fresh copy of a sample event from `events/`, as `sls invoke local -p events/<name>` reads it. */
export function readEvent<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'events', name), 'utf8')) as T;
}
