import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** The repository root. */
export const ROOT = resolve(__dirname, '..');

/** Loads `.env.<stage>` into process.env without overriding what the shell already set. */
export function loadStageEnv(stage: string): void {
  const file = join(ROOT, `.env.${stage}`);
  if (!existsSync(file)) return;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (process.env[key] === undefined) process.env[key] = value;
  }
}
