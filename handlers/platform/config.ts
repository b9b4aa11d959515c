import { ConfigurationError, describeIssues } from './errors';
import * as z from './zod';

/**
 * Reads the environment once through a zod schema. A missing or malformed variable fails at
 * start-up (module load), naming the variable: `DEST_BUCKET is required`.
 */
export function loadConfig<S extends z.ZodMiniObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const variables = [...new Set(result.error.issues.map((issue) => String(issue.path[0] ?? '')))];
  const reasons = result.error.issues.map((issue) =>
    issue.code === 'invalid_type' && env[String(issue.path[0])] === undefined
      ? `${String(issue.path[0])} is required`
      : describeIssues([issue])[0],
  );
  throw new ConfigurationError(`Invalid configuration: ${reasons.join('; ')}`, variables);
}

/** A non-empty string variable. */
export const requiredString = z.string().check(z.trim(), z.minLength(1, 'must not be empty'));

/** An S3 bucket name as AWS accepts it. */
export const bucketName = requiredString.check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name'));
