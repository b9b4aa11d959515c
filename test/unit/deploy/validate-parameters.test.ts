import { InvalidParameterError, type NamesToCheck, validateNames } from '../../../deploy/validate-parameters';

const valid = (): NamesToCheck => ({
  stage: 'dev',
  stackName: 'messaging-workers-dev',
  buckets: {
    source: 'messaging-workers-dev-source-aws-account-id-us-east-1',
    destination: 'messaging-workers-dev-destination-aws-account-id-us-east-1',
    deployment: 'messaging-workers-dev-deployment-aws-account-id-us-east-1',
  },
  queues: { WorkQueue: 'messaging-workers-dev-work', WorkFifoQueue: 'messaging-workers-dev-work.fifo' },
  functions: { s3Copier: 'messaging-workers-dev-s3Copier' },
  generatedRoles: ['S3CopierRole', 'Ec2SchedulerRole'],
});

function messageOf(names: NamesToCheck): string {
  try {
    validateNames(names);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidParameterError);
    return (error as Error).message;
  }
  return 'valid';
}

describe('validateNames (package-time parameter checks)', () => {
  it('accepts the names of dev and prod as configured', () => {
    expect(messageOf(valid())).toBe('valid');
  });

  it('counts the account id placeholder as the 12 digits it becomes: 63 characters pass, 64 fail', () => {
    const at63 = { ...valid(), buckets: { destination: `${'a'.repeat(63 - 12 - 1)}-aws-account-id` } };
    const at64 = { ...valid(), buckets: { destination: `${'a'.repeat(64 - 12 - 1)}-aws-account-id` } };

    expect(messageOf(at63)).toBe('valid');
    expect(messageOf(at64)).toBe(`Invalid parameter stage: the destination bucket name ${'a'.repeat(51)}-<account id> would be 64 characters, S3 allows at most 63`);
  });

  it('names bucketOwner when it was given and makes a bucket name invalid', () => {
    const names = { ...valid(), bucketOwner: 'acme', buckets: { source: 'messaging-workers-dev-source-acme_corp-us-east-1' } };

    expect(messageOf(names)).toMatch(/^Invalid parameter bucketOwner: the source bucket name .* is not a valid S3 bucket name/);
  });

  it.each([
    ['Dev', 'stage'],
    ['1dev', 'stage'],
    ['dev_eu', 'stage'],
  ])('refuses stage %s', (stage, parameter) => {
    expect(messageOf({ ...valid(), stage })).toMatch(new RegExp(`^Invalid parameter ${parameter}: "${stage}" must start`));
  });

  it.each(['Acme', '-acme', 'acme-', 'acme.corp'])('refuses bucketOwner %s', (bucketOwner) => {
    expect(messageOf({ ...valid(), bucketOwner })).toMatch(/^Invalid parameter bucketOwner: ".*" must hold only/);
  });

  it('refuses a queue name over 80 characters, .fifo included', () => {
    const at80 = `${'q'.repeat(75)}.fifo`;

    expect(messageOf({ ...valid(), queues: { WorkFifoQueue: at80 } })).toBe('valid');
    expect(messageOf({ ...valid(), queues: { WorkFifoQueue: `q${at80}` } })).toBe(`Invalid parameter stage: the queue name q${at80} (WorkFifoQueue) is 81 characters, SQS allows at most 80 (".fifo" included)`);
  });

  it('refuses a function name over 64 characters', () => {
    expect(messageOf({ ...valid(), functions: { sqsConsumer: 'f'.repeat(64) } })).toBe('valid');
    expect(messageOf({ ...valid(), functions: { sqsConsumer: 'f'.repeat(65) } })).toBe(`Invalid parameter stage: the function name ${'f'.repeat(65)} (sqsConsumer) is 65 characters, Lambda allows at most 64`);
  });

  it('refuses a stage whose generated role names would pass 64 characters (CloudFormation would cut the stack name)', () => {
    // <stack>-<logicalId>-<13 random>: 33 + 1 + 16 + 14 = 64 passes, one more character fails.
    const stack = (length: number) => `messaging-workers-${'s'.repeat(length - 18)}`;

    expect(messageOf({ ...valid(), stackName: stack(33), generatedRoles: ['Ec2SchedulerRole'] })).toBe('valid');
    expect(messageOf({ ...valid(), stackName: stack(34), generatedRoles: ['Ec2SchedulerRole'] })).toMatch(/^Invalid parameter stage: the role Ec2SchedulerRole would be named .* 65 characters/);
  });

  it('says it in one line', () => {
    expect(messageOf({ ...valid(), stage: 'Dev' })).not.toContain('\n');
  });
});
