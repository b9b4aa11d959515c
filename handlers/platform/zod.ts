/**
 * zod for the service's schemas: zod's `zod/mini` API (functions instead of methods), which
 * esbuild tree-shakes to what the schemas use. The classic API (`import { z } from 'zod'`) costs
 * ~25 ms of every cold start to load however few schemas use it (bench: cold start,
 * bench/profiles/cold-start.txt); the parsing engine is the same. zod/mini ships no error
 * messages of its own until a locale is configured: the English one, as the classic API has.
 */
import { config, locales } from 'zod/mini';

config(locales.en());

export * from 'zod/mini';
