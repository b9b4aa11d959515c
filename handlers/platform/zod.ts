/**
 * zod for the service's schemas: zod's `zod/mini` API (functions instead of methods), which
 * esbuild tree-shakes to what the schemas use. The classic API (`import { z } from 'zod'`) costs
 * ~25 ms of every cold start to load however few schemas use it (bench: cold start,
 * bench/profiles/cold-start.txt); the parsing engine is the same. zod/mini ships no error
 * messages of its own until a locale is configured: the English one, as the classic API has.
 */
import { en } from 'zod/locales';
import { compile, config, type ZodMiniType } from 'zod/mini';

// By name: `locales.en` of zod/mini's namespace would bundle every locale (260 KB to parse).
config(en());

export * from 'zod/mini';

/**
 * A schema that, once it has parsed `warmUp` values, parses through zod's compiled fast path
 * (`compile`: generated code for valid input; zod's own parser, and its issues, for invalid input).
 * Compiling costs what a cold start should not pay (~65 ms for the consumer's job schemas in a
 * fresh process), while a warm function parses thousands of records with it (bench: consumer
 * overhead, 0.33 -> 0.03 µs a job). Returns the schema to use for the next value.
 */
export function compiledWhenWarm<T extends ZodMiniType>(schema: T, warmUp = 100): () => T {
  let uses = 0;
  let current = schema;
  return () => {
    if (uses < warmUp && ++uses === warmUp) current = compile(schema);
    return current;
  };
}
