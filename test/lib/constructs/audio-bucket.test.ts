import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessLogsBucket } from '../../../lib/constructs/access-logs-bucket';
import { AUDIO_PREFIX, AudioBucket } from '../../../lib/constructs/audio-bucket';
import { constructStack } from '../../support/construct-stack';

describe('AudioBucket', () => {
  function build() {
    const stack = constructStack();
    const logs = new AccessLogsBucket(stack, 'Logs', {
      logsOf: 'the audio bucket',
      expiration: Duration.days(90),
    });
    const audio = new AudioBucket(stack, 'Audio', { accessLogs: logs });
    return { stack, logs, audio, t: Template.fromStack(stack) };
  }

  it('GIVEN an access log bucket WHEN synthesized THEN it keeps synthesized speech a day, encrypted, private, and logs its access to the log bucket under audio/', () => {
    const { stack, logs, t } = build();
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            ExpirationInDays: 1,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          },
        ],
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: stack.getLogicalId(logs.node.defaultChild as never) },
        LogFilePrefix: AUDIO_PREFIX,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('GIVEN an audio bucket WHEN built THEN it names the ARN pattern of the audio objects (what a writer is granted)', () => {
    const { stack, audio } = build();
    expect(stack.resolve(audio.audioObjectsArn)).toEqual({
      'Fn::Join': [
        '',
        [{ 'Fn::GetAtt': [stack.getLogicalId(audio.node.defaultChild as never), 'Arn'] }, '/audio/*'],
      ],
    });
  });
});
