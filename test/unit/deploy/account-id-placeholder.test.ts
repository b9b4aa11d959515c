import { substituteAccountId } from '../../../deploy/tidy-template';

describe('substituteAccountId (bucket names carrying the account id)', () => {
  it('makes a plain string holding the placeholder a Fn::Sub, and substitutes inside an existing Fn::Sub in place', () => {
    const template = {
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'messaging-workers-dev-source-aws-account-id-us-east-1' } },
        Policy: { Properties: { Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::messaging-workers-dev-source-aws-account-id-us-east-1/*' } } },
        Permission: { Properties: { SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::messaging-workers-dev-source-aws-account-id-us-east-1']] } } },
      },
      Outputs: { SourceBucketName: { Value: 'messaging-workers-dev-source-aws-account-id-us-east-1' } },
    };

    const changed = substituteAccountId(template);

    expect(changed).toBe(4);
    expect(template).toEqual({
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'messaging-workers-dev-source-${AWS::AccountId}-us-east-1' } } },
        Policy: { Properties: { Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::messaging-workers-dev-source-${AWS::AccountId}-us-east-1/*' } } },
        Permission: { Properties: { SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, { 'Fn::Sub': ':s3:::messaging-workers-dev-source-${AWS::AccountId}-us-east-1' }]] } } },
      },
      Outputs: { SourceBucketName: { Value: { 'Fn::Sub': 'messaging-workers-dev-source-${AWS::AccountId}-us-east-1' } } },
    });
  });

  it('leaves names without the placeholder, or with it only as part of a longer word, alone', () => {
    const template = { Resources: { A: { Properties: { BucketName: 'messaging-workers-test-source-local', Other: 'my-aws-account-idea' } } } };

    expect(substituteAccountId(template)).toBe(0);
    expect(template.Resources.A.Properties).toEqual({ BucketName: 'messaging-workers-test-source-local', Other: 'my-aws-account-idea' });
  });
});
