/**
 * AccessLogsBucket owns one S3 server-access-log bucket (the target of another bucket's access
 * logs): SSE-S3 (log delivery cannot write to SSE-KMS buckets), public access blocked, TLS only,
 * bucket owner enforced, objects expired after `expiration`; and the AwsSolutions-S1
 * acknowledgement (it cannot log its own access: that would loop).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';

export interface AccessLogsBucketProps {
  /** Whose access logs the bucket holds, as the nag acknowledgement names it, e.g. `the audio bucket`. */
  readonly logsOf: string;
  /** How long a log object is kept (whole days, at least one). */
  readonly expiration: Duration;
  /**
   * What happens to the bucket when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Empty the bucket when the stack deletes it (needs `RemovalPolicy.DESTROY`).
   * @default false
   */
  readonly autoDeleteObjects?: boolean;
  /**
   * Who owns the objects. CloudFront standard logging delivers through an ACL grant, so a bucket
   * receiving a distribution's logs needs BUCKET_OWNER_PREFERRED (ACLs enabled, the bucket owner
   * still owning what is written with `bucket-owner-full-control`).
   * @default ObjectOwnership.BUCKET_OWNER_ENFORCED (ACLs disabled)
   */
  readonly objectOwnership?: s3.ObjectOwnership;
}

function bucketProps(props: AccessLogsBucketProps): s3.BucketProps {
  if (props.logsOf.trim().length === 0)
    throw new Error('access logs bucket needs logsOf (whose logs it holds)');
  const days = props.expiration.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`access logs bucket expiration must be a whole number of days (1+), got ${days}`);
  }
  return {
    encryption: s3.BucketEncryption.S3_MANAGED, // server access logs cannot be delivered to SSE-KMS buckets
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: props.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ expiration: props.expiration }],
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    autoDeleteObjects: props.autoDeleteObjects ?? false,
  };
}

/** The server access log bucket of another bucket (see the file comment). */
export class AccessLogsBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id, bucketProps(props));
    acknowledge(
      this,
      `This is the server access log bucket of ${props.logsOf}; logging it to itself would loop.`,
      'AwsSolutions-S1',
    );
  }
}
