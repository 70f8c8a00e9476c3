import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessLogsBucket } from '../../../lib/constructs/access-logs-bucket';
import { constructStack } from '../../support/construct-stack';
import { listAcknowledgements } from '../../support/nag-doc';

describe('AccessLogsBucket', () => {
  it('GIVEN an expiration WHEN synthesized THEN the bucket is SSE-S3, private, TLS-only, owner-enforced and expires its logs', () => {
    // GIVEN / WHEN
    const stack = constructStack();
    new AccessLogsBucket(stack, 'Logs', { logsOf: 'the test bucket', expiration: Duration.days(30) });
    // THEN
    const t = Template.fromStack(stack);
    t.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, Status: 'Enabled' }] },
      },
      DeletionPolicy: 'Retain',
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    t.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('GIVEN whose logs it holds WHEN synthesized THEN it acknowledges AwsSolutions-S1 on itself, naming them', () => {
    const stack = constructStack();
    new AccessLogsBucket(stack, 'Logs', { logsOf: 'the test bucket', expiration: Duration.days(1) });
    // (CDK stores the acknowledgement under the rule id, with an `Annotation::` prefix for its own report)
    expect(listAcknowledgements(stack).map((a) => ({ ...a, id: a.id.replace(/^Annotation::/, '') }))).toEqual(
      [
        {
          id: 'AwsSolutions-S1',
          path: 'Test/Logs',
          reason: 'This is the server access log bucket of the test bucket; logging it to itself would loop.',
        },
      ],
    );
  });

  it('GIVEN autoDeleteObjects (with DESTROY) WHEN synthesized THEN it empties itself on delete, only when asked', () => {
    const stack = constructStack();
    new AccessLogsBucket(stack, 'Logs', {
      logsOf: 'the test bucket',
      expiration: Duration.days(1),
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    Template.fromStack(stack).resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });

  it('GIVEN an expiration that is not whole days, or an empty logsOf WHEN created THEN it is refused', () => {
    const stack = constructStack();
    expect(() => new AccessLogsBucket(stack, 'A', { logsOf: 'x', expiration: Duration.hours(12) })).toThrow(
      /expiration must be a whole number of days \(1\+\), got 0.5/,
    );
    expect(() => new AccessLogsBucket(stack, 'B', { logsOf: ' ', expiration: Duration.days(1) })).toThrow(
      /needs logsOf/,
    );
  });
});
