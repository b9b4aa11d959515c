import s3Copier from '../../events/s3-test-event.json';
import ec2Scheduler from '../../events/ec2-reconcile-dry-run.json';
import snsNotifier from '../../events/sns-release-check.json';
import sqsConsumer from '../../events/sqs-canary-job.json';
import volumeRetirement from '../../events/volume-retirement-validate.json';

/**
 * The sample event each function's new version must handle before it gets traffic: events that
 * change nothing and reach no one (S3's test event, a dry-run reconcile, an SNS record that is not
 * a notification, a canary job, the retirement's input check).
 */
export const samples: Record<string, unknown> = { s3Copier, ec2Scheduler, snsNotifier, sqsConsumer, volumeRetirement };
