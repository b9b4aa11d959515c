import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { ParameterNotFoundError } from '@aws-lambda-powertools/parameters/errors';

/** How long a secret read from SSM is reused before it is read again (seconds). */
export const SECRET_MAX_AGE_SECONDS = 300;

/** When each parameter found missing may be asked for again (epoch ms): a missing one is not asked for on every invocation. */
const missingUntil = new Map<string, number>();

/**
 * Reads a SecureString parameter from SSM Parameter Store, decrypted, through the Powertools
 * parameters utility, which caches it for SECRET_MAX_AGE_SECONDS across invocations. The SSM client
 * is the utility's own, created once; AWS_ENDPOINT_URL(_SSM) and AWS_REGION configure it.
 *
 * A parameter that does not exist is `undefined` (remembered for SECRET_MAX_AGE_SECONDS too, so it
 * is found once it is created); any other failure (access denied, throttling) is thrown.
 */
export async function readSecretParameter(name: string, now: () => number = Date.now): Promise<string | undefined> {
  if ((missingUntil.get(name) ?? 0) > now()) return undefined;
  try {
    const value = await getParameter(name, { decrypt: true, maxAge: SECRET_MAX_AGE_SECONDS, throwOnMissing: true });
    missingUntil.delete(name);
    return value;
  } catch (error) {
    if (!(error instanceof ParameterNotFoundError)) throw error;
    missingUntil.set(name, now() + SECRET_MAX_AGE_SECONDS * 1000);
    return undefined;
  }
}
