import { packagedTemplate } from '../packaged-templates';
import { problemsOf, statementsOf } from './catalog';

/**
 * Every action and condition key named in any policy of the deployed templates (roles, role
 * policies, bucket, queue, topic and key policies, Lambda permissions) against iam-data.
 */
describe.each(['dev', 'prod', 'prod-copy-kms', 'prod-with-email'])('the names in every policy (%s)', (label) => {
  it('are actions of their services and condition keys their actions carry', async () => {
    const statements = statementsOf(packagedTemplate(label));

    const problems = (await Promise.all(statements.map(problemsOf))).flat();

    expect(statements.length).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });
});

describe('the check of the names', () => {
  it('finds an unknown action, a wildcard matching none, an unknown key and a key the action does not carry', async () => {
    const problems = await problemsOf({
      where: 'example',
      statement: {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessages', 'ec2:Describe*Volume', 'ec2:DescribeInstances'],
        Resource: '*',
        Condition: { StringEquals: { 'ec2:Regoin': 'us-east-1', 'aws:ResourceTag/Schedule': 'x' } },
      },
    });

    expect(problems).toEqual([
      'example: unknown action sqs:ReceiveMessages',
      'example: ec2:Describe*Volume matches no action',
      'example: unknown condition key ec2:Regoin',
      'example: ec2:DescribeInstances does not carry condition key aws:ResourceTag/Schedule',
    ]);
  });
});
