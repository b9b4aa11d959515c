import { EC2Client } from '@aws-sdk/client-ec2';
import { freeLoopbackPort, startMoto, type Stoppable } from '../../local-aws/emulators';

/** Counts the EC2 API calls a client makes, by action (an SDK middleware). */
export class CallCounter {
  readonly calls: string[] = [];

  attach(client: EC2Client): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        this.calls.push(String(context.commandName ?? '').replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'countEc2Calls' },
    );
  }

  reset(): void {
    this.calls.length = 0;
  }

  /** `{ DescribeInstances: 1, StopInstances: 2 }` */
  byAction(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.calls) counts[call] = (counts[call] ?? 0) + 1;
    return counts;
  }
}

export interface OwnMoto extends Stoppable {
  endpoint: string;
  /** A client for the test's own moves (launching, inspecting). */
  ec2: EC2Client;
  /** A client for the code under test, its calls counted. */
  counted: EC2Client;
  counter: CallCounter;
  /** Forgets every resource (moto's reset API). */
  reset(): Promise<void>;
}

/** A moto_server of the test's own, on a free port of 127.0.0.1 (not the shared stack's). */
export async function startOwnMoto(): Promise<OwnMoto> {
  const port = await freeLoopbackPort();
  const moto = await startMoto({ port });
  const endpoint = `http://127.0.0.1:${port}`;
  const options = { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const ec2 = new EC2Client(options);
  const counted = new EC2Client({ ...options, maxAttempts: 6 });
  const counter = new CallCounter();
  counter.attach(counted);
  return {
    endpoint,
    ec2,
    counted,
    counter,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
      counter.reset();
    },
    stop: () => moto.stop(),
  };
}
