import { deliveriesOf } from './deliveries';
import { evaluate } from './engine';
import { ownerOf } from './evaluate-call';
import { deployedStack } from './stack';

/**
 * Every service-to-service delivery of the deployed stages, evaluated by @cloud-copilot/iam-simulate
 * against the policy of its target (queue, topic, function, KMS key) and, where Lambda acts with a
 * function's role, that role: each must be Allowed. The TLS-only deny statements must not block
 * them, whether the service's request carries aws:SecureTransport=true or no such key at all.
 */
describe.each(['dev', 'prod', 'prod-copy-kms', 'prod-with-email'])('the deliveries of AWS services (%s)', (label) => {
  const stack = deployedStack(label);
  const rows = deliveriesOf(stack).map((delivery) => ({ ...delivery, name: `${delivery.path}: ${delivery.action} by ${delivery.by}` }));

  it.each(rows)('allows $name', async (delivery) => {
    const request = { ...delivery, resourceAccount: ownerOf(delivery.resource), resourcePolicy: stack.resourcePolicyOf(delivery.resource) };
    const withoutTransportKey = Object.fromEntries(Object.entries(delivery.context).filter(([key]) => key !== 'aws:SecureTransport'));

    const overTls = await evaluate(request);
    const withoutKey = await evaluate({ ...request, context: withoutTransportKey });

    expect({ overTls, withoutKey: withoutKey.decision }).toEqual({ overTls: { decision: 'Allowed', ignoredContextKeys: [] }, withoutKey: 'Allowed' });
  });
});
