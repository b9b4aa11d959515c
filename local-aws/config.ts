import { z } from 'zod';

/**
 * The local AWS is configured by the same variables the functions read: AWS_ENDPOINT_URL (SQS,
 * SNS, S3 on fauxqs), AWS_ENDPOINT_URL_EC2 (moto), plus where serverless-offline's Lambda API
 * listens, and the port of the local console. Defaults match `.env.local`.
 */
const Schema = z.object({
  AWS_REGION: z.string().min(1).default('us-east-1'),
  AWS_ENDPOINT_URL: z.url().default('http://127.0.0.1:4566'),
  AWS_ENDPOINT_URL_EC2: z.url().default('http://127.0.0.1:4567'),
  OFFLINE_LAMBDA_PORT: z.coerce.number().int().min(1).max(65535).default(3002),
  LOCAL_CONSOLE_PORT: z.coerce.number().int().min(1).max(65535).default(4570),
  AWS_ACCESS_KEY_ID: z.string().min(1).default('local'),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).default('local'),
});

export interface LocalAwsConfig {
  stage: string;
  region: string;
  accountId: string;
  endpoint: string;
  port: number;
  ec2Endpoint: string;
  ec2Port: number;
  lambdaEndpoint: string;
  /** Where the local console listens (on 127.0.0.1). */
  consolePort: number;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

function loopbackPort(variable: string, value: string): number {
  const url = new URL(value);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
    throw new Error(`${variable} must point at 127.0.0.1 for the local AWS, got ${value}`);
  }
  return Number(url.port || 80);
}

export function localAwsConfig(stage: string, env: NodeJS.ProcessEnv = process.env): LocalAwsConfig {
  const parsed = Schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid local AWS configuration: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`);
  }
  const v = parsed.data;
  return {
    stage,
    region: v.AWS_REGION,
    accountId: '000000000000',
    endpoint: v.AWS_ENDPOINT_URL.replace(/\/$/, ''),
    port: loopbackPort('AWS_ENDPOINT_URL', v.AWS_ENDPOINT_URL),
    ec2Endpoint: v.AWS_ENDPOINT_URL_EC2.replace(/\/$/, ''),
    ec2Port: loopbackPort('AWS_ENDPOINT_URL_EC2', v.AWS_ENDPOINT_URL_EC2),
    lambdaEndpoint: `http://127.0.0.1:${v.OFFLINE_LAMBDA_PORT}`,
    consolePort: v.LOCAL_CONSOLE_PORT,
    credentials: { accessKeyId: v.AWS_ACCESS_KEY_ID, secretAccessKey: v.AWS_SECRET_ACCESS_KEY },
  };
}
