import { planFromTemplate } from '../../../local-aws/plan';

const account = { region: 'us-east-1', accountId: '000000000000', sqsEndpoint: 'http://127.0.0.1:1' };

describe('planFromTemplate', () => {
  it('still creates a topic encrypted with a KMS key of the stack, without the key (not emulated)', () => {
    const plan = planFromTemplate(
      {
        Resources: {
          TopicsKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
          AlarmsTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alarms', KmsMasterKeyId: { Ref: 'TopicsKey' }, DisplayName: 'Alarms' } },
        },
      },
      account,
    );

    expect(plan.topics).toEqual([{ logicalId: 'AlarmsTopic', name: 'alarms', attributes: { DisplayName: 'Alarms' } }]);
  });
});
