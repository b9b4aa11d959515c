import { LambdaClient } from '@aws-sdk/client-lambda';

/** The one LambdaClient of the process (region and endpoint from the environment). */
export const lambdaClient = new LambdaClient({});
