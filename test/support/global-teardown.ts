import type { StackProcess } from './stack-process';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __LOCAL_AWS__?: StackProcess }).__LOCAL_AWS__?.stop();
}
