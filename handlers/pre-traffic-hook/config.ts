import type { HookTargets } from '../domain/releases/pre-traffic-check';
import { loadConfig, requiredString } from '../platform/config';
import * as z from '../platform/zod';

const Target = z.object({
  function: requiredString,
  version: requiredString.check(z.regex(/^arn:aws[a-z-]*:lambda:[^:]+:\d+:function:[^:]+:\d+$/, 'must be a qualified function version ARN')),
});

/** HOOK_TARGETS: JSON, deployment group name -> { function, version } (written by deploy/releases.ts). */
const HookTargetsJson = z.pipe(
  requiredString,
  z.transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.issues.push({ code: 'custom', message: 'must be JSON', input: text });
      return z.NEVER;
    }
  }),
);

const env = loadConfig(z.object({ HOOK_TARGETS: z.pipe(HookTargetsJson, z.record(z.string(), Target)) }));

export const config: { targets: HookTargets } = { targets: env.HOOK_TARGETS };
