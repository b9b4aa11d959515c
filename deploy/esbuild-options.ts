import type { BuildOptions } from 'esbuild';

/**
 * The options of serverless.yml's `custom.esbuild` that decide what a function's bundle is, in
 * serverless-esbuild's spelling. What bundles a handler outside `sls` (the bench, the stack-trace
 * test) takes them from here; test/infra/templates.test.ts keeps them equal to what serverless.yml
 * resolves to.
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  minify: true,
  target: 'node24',
  platform: 'node',
  format: 'esm',
  splitting: true,
  outputFileExtension: '.mjs',
  mainFields: ['module', 'main'],
  banner: { js: "import{createRequire as __createRequire}from'node:module';const require=__createRequire(import.meta.url);" },
  sourcemap: true,
  sourcesContent: false,
} as const;

/** The same options as esbuild's own `build()` takes them. */
export function esbuildBundleOptions(): BuildOptions {
  const { outputFileExtension, mainFields, banner, ...rest } = BUNDLE_OPTIONS;
  return { ...rest, outExtension: { '.js': outputFileExtension }, mainFields: [...mainFields], banner: { ...banner } };
}
