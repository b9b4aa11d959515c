import { CodeDeployClient } from '@aws-sdk/client-codedeploy';

/** The one CodeDeployClient of the process (region and endpoint from the environment). */
export const codeDeployClient = new CodeDeployClient({});
