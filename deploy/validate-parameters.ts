/**
 * Package-time checks of what a stage's parameters make of the names AWS limits, so a bad value
 * fails `sls package` / `sls deploy` before CloudFormation, with one line naming the parameter,
 * instead of half-way through a first deploy (docs/deploying-checks.md, "Parameter validation").
 */

/**
 * The placeholder serverless.yml puts where a bucket name carries the stack's account id
 * (params.bucketSuffix): the framework validates bucket names at load, so `${AWS::AccountId}` cannot
 * stand there, and resolving the id at package time would need credentials. deploy/tidy-template.ts
 * makes it `${AWS::AccountId}` in a Fn::Sub.
 */
export const ACCOUNT_ID_PLACEHOLDER = 'aws-account-id';

/** An AWS account id is 12 digits: what the placeholder stands for when lengths are counted. */
const ACCOUNT_ID_LENGTH = 12;
/** CloudFormation's generated IAM role names: `<stack>-<logicalId>-<random>`, the random part 12-13 characters. */
const GENERATED_SUFFIX_LENGTH = 14;

export interface NamesToCheck {
  stage: string;
  /** The bucketOwner parameter, when given. */
  bucketOwner?: string;
  stackName: string;
  buckets: Record<string, string>;
  queues: Record<string, string>;
  functions: Record<string, string>;
  /** Logical ids of the roles whose name CloudFormation generates. */
  generatedRoles: string[];
}

export class InvalidParameterError extends Error {
  override readonly name = 'InvalidParameterError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`Invalid parameter ${parameter}: ${message}`);
  }
}

const BUCKET = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/;

/** Throws an InvalidParameterError for the first name the parameters make invalid. */
export function validateNames(names: NamesToCheck): void {
  const { stage, bucketOwner } = names;
  if (!/^[a-z][a-z0-9-]*$/.test(stage)) {
    throw new InvalidParameterError('stage', `"${stage}" must start with a lower-case letter and hold only a-z, 0-9 and "-" (it is part of every bucket, queue, function and policy name)`);
  }
  if (bucketOwner !== undefined && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(bucketOwner)) {
    throw new InvalidParameterError('bucketOwner', `"${bucketOwner}" must hold only a-z, 0-9 and "-", neither first nor last (S3 bucket names)`);
  }
  const bucketParameter = bucketOwner === undefined ? 'stage' : 'bucketOwner';
  for (const [what, template] of Object.entries(names.buckets)) {
    const name = template.replace(ACCOUNT_ID_PLACEHOLDER, '0'.repeat(ACCOUNT_ID_LENGTH));
    const shown = template.replace(ACCOUNT_ID_PLACEHOLDER, '<account id>');
    if (name.length > 63) {
      throw new InvalidParameterError(bucketParameter, `the ${what} bucket name ${shown} would be ${name.length} characters, S3 allows at most 63`);
    }
    if (!BUCKET.test(name) || name.includes('..')) {
      throw new InvalidParameterError(bucketParameter, `the ${what} bucket name ${shown} is not a valid S3 bucket name (a-z, 0-9, "." and "-" only)`);
    }
  }
  for (const [logicalId, name] of Object.entries(names.queues)) {
    if (name.length > 80) throw new InvalidParameterError('stage', `the queue name ${name} (${logicalId}) is ${name.length} characters, SQS allows at most 80 (".fifo" included)`);
    if (!/^[A-Za-z0-9_-]+(\.fifo)?$/.test(name)) throw new InvalidParameterError('stage', `the queue name ${name} (${logicalId}) holds characters SQS refuses`);
  }
  for (const [key, name] of Object.entries(names.functions)) {
    if (name.length > 64) throw new InvalidParameterError('stage', `the function name ${name} (${key}) is ${name.length} characters, Lambda allows at most 64`);
  }
  for (const logicalId of names.generatedRoles) {
    const length = names.stackName.length + 1 + logicalId.length + GENERATED_SUFFIX_LENGTH;
    if (length > 64) {
      throw new InvalidParameterError('stage', `the role ${logicalId} would be named ${names.stackName}-${logicalId}-<random>, ${length} characters: IAM allows 64, and CloudFormation would cut the stack name the deployer policy matches`);
    }
  }
}

type Resource = { Type?: string; Properties?: Record<string, unknown> };
export interface ServerlessForValidation {
  service: {
    service: string;
    provider: { stage: string };
    custom: { names: Record<string, string> };
    resources?: { Resources?: Record<string, Resource> } | { Resources?: Record<string, Resource> }[];
    getAllFunctions(): string[];
    getFunction(key: string): { name?: string };
  };
  processedInput?: { commands?: string[]; options?: { param?: string | string[] } };
}

/** The names of the configuration as the framework resolved it. */
export function namesOf(serverless: ServerlessForValidation): NamesToCheck {
  const { service } = serverless;
  const params = ([] as string[]).concat(serverless.processedInput?.options?.param ?? []);
  const bucketOwner = params.find((param) => param.startsWith('bucketOwner='))?.slice('bucketOwner='.length);
  const resources = Object.assign({}, ...([] as { Resources?: Record<string, Resource> }[]).concat(service.resources ?? []).map((part) => part.Resources ?? {})) as Record<string, Resource>;
  const { names } = service.custom;
  return {
    stage: service.provider.stage,
    bucketOwner,
    stackName: `${service.service}-${service.provider.stage}`,
    buckets: { source: names.sourceBucket ?? '', destination: names.destinationBucket ?? '', deployment: names.deploymentBucket ?? '' },
    queues: Object.fromEntries(
      Object.entries(resources)
        .filter(([, r]) => r.Type === 'AWS::SQS::Queue' && typeof r.Properties?.QueueName === 'string')
        .map(([id, r]) => [id, String(r.Properties?.QueueName)]),
    ),
    functions: Object.fromEntries(service.getAllFunctions().map((key) => [key, service.getFunction(key).name ?? ''])),
    generatedRoles: Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName === undefined)
      .map(([id]) => id),
  };
}
