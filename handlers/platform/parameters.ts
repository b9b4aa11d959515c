import { getParameter } from '@aws-lambda-powertools/parameters/ssm';

/** How long a secret read from SSM is reused before it is read again (seconds). */
export const SECRET_MAX_AGE_SECONDS = 300;

/**
 * Reads a SecureString parameter from SSM Parameter Store, decrypted, through the Powertools
 * parameters utility, which caches it for SECRET_MAX_AGE_SECONDS across invocations. The SSM client
 * is the utility's own, created once; AWS_ENDPOINT_URL(_SSM) and AWS_REGION configure it.
 */
export async function readSecretParameter(name: string): Promise<string> {
  const value = await getParameter(name, { decrypt: true, maxAge: SECRET_MAX_AGE_SECONDS });
  if (value === undefined) throw new Error(`SSM parameter ${name} has no value`);
  return value;
}
