/**
 * AudioBucket owns the bucket of synthesized speech (Polly audio of voice turns): objects under
 * `audio/`, fetched by the client through presigned URLs and expired after a day; SSE-S3, public
 * access blocked, TLS only, bucket owner enforced, server access logs to the given bucket. Who
 * writes the audio is granted by its binder (FulfillmentFunction.bindAudioBucket).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AudioBucketProps {
  /** Where the bucket's server access logs go (under the `audio/` prefix of that bucket). */
  readonly accessLogs: s3.IBucket;
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
}

/** The key prefix of every audio object (and of the bucket's access logs in the log bucket). */
export const AUDIO_PREFIX = 'audio/';

/** The bucket of Polly audio (see the file comment). */
export class AudioBucket extends s3.Bucket {
  /** ARN pattern of the audio objects (`<bucket>/audio/*`): what a writer is granted. */
  readonly audioObjectsArn: string;

  constructor(scope: Construct, id: string, props: AudioBucketProps) {
    super(scope, id, {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: AUDIO_PREFIX,
      // Synthesized speech is only needed while the client plays it.
      lifecycleRules: [
        { expiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      autoDeleteObjects: props.autoDeleteObjects ?? false,
    });
    this.audioObjectsArn = this.arnForObjects(`${AUDIO_PREFIX}*`);
  }
}
