import { type CfnResources, resolveIntrinsics } from './intrinsics';

interface ServerlessInstance {
  processedInput?: { commands?: string[] };
  service: {
    provider: { environment?: Record<string, unknown>; region?: string };
    resources?: { Resources?: CfnResources };
    getAllFunctions(): string[];
    getFunction(name: string): { environment?: Record<string, unknown> };
  };
}

/**
 * Resolves the CloudFormation references in the functions' environment (`!Ref NotificationsTopic`,
 * `!GetAtt WorkQueue.Arn`) to the local emulator's values before serverless-offline or
 * `sls invoke local` start a function, which would otherwise receive "[object Object]". Runs only
 * when AWS_ENDPOINT_URL points the functions at a local endpoint; deploys are untouched.
 */
export class LocalEnvironmentPlugin {
  readonly hooks: Record<string, () => void>;

  constructor(private readonly serverless: ServerlessInstance) {
    // `initialize` runs before any command's own hooks (invoke local resolves `Ref`s against the
    // CloudFormation API in its first hook, which the local AWS does not serve).
    this.hooks = { initialize: () => this.onInitialize() };
  }

  private onInitialize(): void {
    const command = (this.serverless.processedInput?.commands ?? []).join(' ');
    if (command === 'invoke local' || command.startsWith('offline')) this.resolveEnvironment();
  }

  private resolveEnvironment(): void {
    const endpoint = process.env.AWS_ENDPOINT_URL;
    if (!endpoint) return;
    const { service } = this.serverless;
    const account = {
      region: process.env.AWS_REGION ?? service.provider.region ?? 'us-east-1',
      accountId: '000000000000',
      sqsEndpoint: endpoint.replace(/\/$/, ''),
    };
    const resources = service.resources?.Resources ?? {};
    const resolve = (environment?: Record<string, unknown>) =>
      environment && (resolveIntrinsics(environment, resources, account) as Record<string, unknown>);
    service.provider.environment = resolve(service.provider.environment);
    for (const name of service.getAllFunctions()) {
      const definition = service.getFunction(name);
      definition.environment = resolve(definition.environment);
    }
  }
}
