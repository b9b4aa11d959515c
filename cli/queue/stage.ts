import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadStageEnv, ROOT } from '../../shared/stage-env';

export interface Stage {
  name: string;
  /** The stage has a `.env.<stage>` file: it runs on the local AWS of this machine. */
  local: boolean;
}

/**
 * Selects the stage before any client exists: a stage with a `.env.<stage>` file (local, test) gets
 * its local endpoints and credentials from it, without overriding what the shell set; any other
 * stage uses the default AWS credential chain and region.
 */
export function openStage(name: string): Stage {
  const local = existsSync(join(ROOT, `.env.${name}`));
  if (local) loadStageEnv(name);
  return { name, local };
}
